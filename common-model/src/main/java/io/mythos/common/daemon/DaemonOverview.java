package io.mythos.common.daemon;

import java.util.List;

/** {@code GET /system/daemon}: every zone and the last recovery records. */
public record DaemonOverview(List<ZoneSummary> zones, List<RecoveryRecord> recentEvents) {
}
