package io.mythos.common.daemon;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /system/daemon/zones/{zone}}: the summary's fields, the consensus of the fresh replicas
 * now, each replica's state, and the whole belief path in {@code convergence}.
 */
public record ZoneDetail(String zone, ZoneStatus status, double divergence, int replicas, int staleReplicas,
                         int cycles, Double lastRecoveryScore, List<PathPoint> convergence,
                         Map<String, Double> consensus, List<ReplicaState> replicaStates) {
}
