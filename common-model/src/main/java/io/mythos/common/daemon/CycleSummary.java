package io.mythos.common.daemon;

/**
 * What one daemon cycle did ({@code POST /system/daemon/cycle}, and each scheduled run): zones checked
 * (locked by this instance), records written, resyncs applied and lost to conflicts, stalls queued for
 * escalation, escalations sent, and the time the recovery transaction took.
 */
public record CycleSummary(int zonesChecked, int recovered, long resyncsApplied, long conflicts, int stalled,
                           int escalationsSent, long durationMs) {
}
