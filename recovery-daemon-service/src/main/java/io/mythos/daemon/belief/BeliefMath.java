package io.mythos.daemon.belief;

import io.mythos.common.daemon.ZoneStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's definitions (DESIGN.md, recovery-daemon-service), as pure functions over belief maps
 * ({@code name -> confidence}). No framework types, so they are unit-tested and benchmarked directly.
 */
public final class BeliefMath {

    private BeliefMath() {
    }

    /**
     * Median per belief over the replicas; a replica lacking a belief counts 0. Sorted by belief name.
     * Computed on a {@link BeliefTable} (names interned once, values by column), not map by map.
     */
    public static Map<String, Double> consensus(Collection<Map<String, Double>> replicas) {
        return BeliefTable.of(replicas).consensus();
    }

    /** max over the consensus' beliefs of |replica[b] - consensus[b]|; 0 for an empty consensus. */
    public static double divergence(Map<String, Double> replica, Map<String, Double> consensus) {
        double max = 0;
        for (Map.Entry<String, Double> e : consensus.entrySet()) {
            max = Math.max(max, Math.abs(replica.getOrDefault(e.getKey(), 0.0) - e.getValue()));
        }
        return max;
    }

    /** The largest replica divergence against the consensus of those same replicas. */
    public static double zoneDivergence(Collection<Map<String, Double>> replicas) {
        return BeliefTable.of(replicas).zoneDivergence();
    }

    /** consensus - replica for each belief where they differ (the realignment the replica needs). */
    public static Map<String, Double> realignment(Map<String, Double> replica, Map<String, Double> consensus) {
        Map<String, Double> vector = new LinkedHashMap<>();
        consensus.forEach((name, c) -> {
            double delta = c - replica.getOrDefault(name, 0.0);
            if (delta != 0) {
                vector.put(name, delta);
            }
        });
        return vector;
    }

    /** The replica moved by {@code rate} times its realignment vector, clamped to [0,1]. */
    public static Map<String, Double> resync(Map<String, Double> replica, Map<String, Double> vector, double rate) {
        Map<String, Double> moved = new LinkedHashMap<>(replica);
        vector.forEach((name, delta) -> {
            double v = replica.getOrDefault(name, 0.0) + rate * delta;
            moved.put(name, Math.min(1.0, Math.max(0.0, v)));
        });
        return moved;
    }

    /** 1 - after/before clamped to [0,1]; 1 when after is 0 (nothing left to repair). */
    public static double recoveryScore(double before, double after) {
        if (after <= 0) {
            return 1.0;
        }
        if (before <= 0) {
            return 0.0;
        }
        return Math.min(1.0, Math.max(0.0, 1.0 - after / before));
    }

    /**
     * The zone status from its divergence and how many cycles in a row it has not fallen:
     * converged at or below epsilon, else stalled after {@code stallCycles}, else diverged above the
     * threshold, else recovering.
     */
    public static ZoneStatus status(double divergence, int cyclesWithoutFall, RecoveryParameters p) {
        if (divergence <= p.epsilon()) {
            return ZoneStatus.CONVERGED;
        }
        if (cyclesWithoutFall >= p.stallCycles()) {
            return ZoneStatus.STALLED;
        }
        return divergence > p.divergenceThreshold() ? ZoneStatus.DIVERGED : ZoneStatus.RECOVERING;
    }

    /** The cycles-without-fall counter after a cycle ended at {@code after}; {@code previous} null on the first. */
    public static int cyclesWithoutFall(Double previous, double after, int counter) {
        return previous != null && after >= previous ? counter + 1 : 0;
    }

    /** One readable line per correction, e.g. {@code a2: raise "sky_is_blue" 0.40 -> 0.65 (consensus 0.90)}. */
    public static List<String> scriptLines(String assistantId, Map<String, Double> before, Map<String, Double> after,
                                           Map<String, Double> consensus) {
        List<String> lines = new ArrayList<>();
        after.forEach((name, to) -> {
            double from = before.getOrDefault(name, 0.0);
            if (to != from) {
                // built by hand: String.format costs more than all the maths of a 1,000-zone cycle
                StringBuilder sb = new StringBuilder(assistantId.length() + name.length() + 48)
                        .append(assistantId).append(to > from ? ": raise \"" : ": lower \"").append(name).append("\" ");
                twoDecimals(sb, from).append(" -> ");
                twoDecimals(twoDecimals(sb, to).append(" (consensus "), consensus.get(name)).append(')');
                lines.add(sb.toString());
            }
        });
        return lines;
    }

    /** {@code %.2f} for a confidence in [0,1] (half-up), without the cost of a Formatter. */
    static StringBuilder twoDecimals(StringBuilder sb, double v) {
        long cents = Math.round(v * 100);
        long frac = cents % 100;
        return sb.append(cents / 100).append('.').append(frac < 10 ? "0" : "").append(frac);
    }
}
