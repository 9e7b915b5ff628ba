package io.mythos.common.daemon;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One recovery of a belief zone (the seed's BeliefNetworkRecoveryDaemon model). */
public record RecoveryRecord(
        UUID id,
        String networkZone,
        DetectedFailure detectedFailure,
        List<ResyncAttempt> memoryResyncAttempts,
        Map<String, Map<String, Double>> codexRealignmentVector,
        String assistantReflectionScripts,
        Double recoveryScore,
        OffsetDateTime createdAt) {

    public record DetectedFailure(double zoneDivergence, double threshold, List<ReplicaDivergence> replicas) {
    }

    public record ReplicaDivergence(String assistantId, double divergence) {
    }

    public record ResyncAttempt(String assistantId, long version, double divergenceBefore, double divergenceAfter,
                                ResyncOutcome status) {
    }
}
