package io.mythos.common.healing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One change an operator made: who (the token's subject), when, what and on what. */
@Schema(name = "AuditEntry")
public record AuditEntry(
        long id,
        OffsetDateTime at,
        @Schema(example = "alice") String subject,
        @Schema(example = "silence.create", description = "rule.put, silence.create, silence.delete, storm.release, "
                + "event.resolve, assistant.put, assistant.delete") String action,
        @Schema(example = "entropy_spike") String target,
        @Schema(description = "the change's particulars (the body sent, or what it did)") JsonNode detail) {
}
