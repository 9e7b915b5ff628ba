package io.mythos.common.daemon;

import java.util.List;

/**
 * A zone in {@code GET /system/daemon}. {@code replicas} counts all replicas, {@code stale_replicas}
 * those left out for not having reported lately; {@code convergence} holds the last points of the path.
 */
public record ZoneSummary(String zone, ZoneStatus status, double divergence, int replicas, int staleReplicas,
                          int cycles, Double lastRecoveryScore, List<PathPoint> convergence) {
}
