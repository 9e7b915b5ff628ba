package io.mythos.common.healing;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of the audit trail, newest first, and the total matching. */
@Schema(name = "AuditList")
public record AuditList(List<AuditEntry> entries, long total) {
}
