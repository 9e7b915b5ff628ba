package io.mythos.common.daemon;

/** The replica as stored: its version grows with each report (and each resync the daemon applies). */
public record BeliefReportAck(String zone, String assistantId, long version) {
}
