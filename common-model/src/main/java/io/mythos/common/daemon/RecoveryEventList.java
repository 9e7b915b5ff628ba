package io.mythos.common.daemon;

import java.util.List;

/** A page of a zone's recovery records, newest first, and how many it has. */
public record RecoveryEventList(List<RecoveryRecord> events, long total) {
}
