package io.mythos.daemon.belief;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.daemon.ZoneStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BeliefMathTest {

    private static final double EPS = 1e-12;
    private static final RecoveryParameters S = ZoneRecoveryTest.DESIGN_DEFAULTS;

    @Test
    void consensusIsTheMedianAndAMissingBeliefCountsZero() {
        Map<String, Double> c = BeliefMath.consensus(List.of(
                Map.of("a", 0.9, "b", 0.2),
                Map.of("a", 0.1, "b", 0.4),
                Map.of("a", 0.5)));
        assertEquals(0.5, c.get("a"), EPS);
        assertEquals(0.2, c.get("b"), EPS); // 0.2, 0.4 and 0 (missing)
        assertEquals(List.of("a", "b"), List.copyOf(c.keySet()));
    }

    @Test
    void evenCountMedianIsTheMeanOfTheMiddleTwo() {
        Map<String, Double> c = BeliefMath.consensus(List.of(Map.of("a", 0.2), Map.of("a", 0.4), Map.of("a", 1.0),
                Map.of("a", 0.0)));
        assertEquals(0.3, c.get("a"), EPS);
    }

    @Test
    void divergenceIsTheLargestGapToConsensusIncludingMissingBeliefs() {
        Map<String, Double> consensus = Map.of("a", 0.5, "b", 0.3);
        assertEquals(0.3, BeliefMath.divergence(Map.of("a", 0.6), consensus), EPS);
        assertEquals(0.4, BeliefMath.divergence(Map.of("a", 0.9, "b", 0.3), consensus), EPS);
        assertEquals(0.0, BeliefMath.divergence(Map.of("a", 0.5, "b", 0.3), consensus), EPS);
        assertEquals(0.0, BeliefMath.zoneDivergence(List.of()), EPS);
    }

    @Test
    void zoneDivergenceIsTheLargestReplicaDivergence() {
        // consensus a = 0.5; replicas diverge by 0.4, 0 and 0.1
        assertEquals(0.4, BeliefMath.zoneDivergence(List.of(Map.of("a", 0.9), Map.of("a", 0.5), Map.of("a", 0.4))), EPS);
    }

    @Test
    void realignmentIsConsensusMinusReplicaAndResyncMovesByTheRate() {
        Map<String, Double> replica = Map.of("sky_is_blue", 0.4, "extra", 0.2);
        Map<String, Double> consensus = Map.of("sky_is_blue", 0.9, "extra", 0.2, "new", 0.6);
        Map<String, Double> vector = BeliefMath.realignment(replica, consensus);
        assertEquals(Map.of("sky_is_blue", 0.5, "new", 0.6), roundAll(vector));
        Map<String, Double> moved = BeliefMath.resync(replica, vector, 0.5);
        assertEquals(0.65, moved.get("sky_is_blue"), EPS);
        assertEquals(0.3, moved.get("new"), EPS);
        assertEquals(0.2, moved.get("extra"), EPS);
        List<String> lines = BeliefMath.scriptLines("a2", replica, moved, consensus);
        assertTrue(lines.contains("a2: raise \"sky_is_blue\" 0.40 -> 0.65 (consensus 0.90)"), lines.toString());
        assertTrue(lines.contains("a2: raise \"new\" 0.00 -> 0.30 (consensus 0.60)"), lines.toString());
        assertEquals(2, lines.size());
        assertEquals(List.of("a3: lower \"x\" 0.80 -> 0.60 (consensus 0.40)"),
                BeliefMath.scriptLines("a3", Map.of("x", 0.8), Map.of("x", 0.6), Map.of("x", 0.4)));
    }

    @Test
    void recoveryScoreIsClampedAndOneAtZero() {
        assertEquals(0.5, BeliefMath.recoveryScore(0.4, 0.2), EPS);
        assertEquals(1.0, BeliefMath.recoveryScore(0.4, 0.0), EPS);
        assertEquals(0.0, BeliefMath.recoveryScore(0.2, 0.4), EPS); // got worse: clamped, not negative
        assertEquals(0.0, BeliefMath.recoveryScore(0.3, 0.3), EPS);
        assertEquals(1.0, BeliefMath.recoveryScore(0.0, 0.0), EPS);
        for (double before = 0; before <= 1; before += 0.05) {
            for (double after = 0; after <= 1; after += 0.05) {
                double s = BeliefMath.recoveryScore(before, after);
                assertTrue(s >= 0 && s <= 1, before + " -> " + after + " gave " + s);
            }
        }
    }

    @Test
    void statusFollowsTheThresholdsAndTheStallCounter() {
        assertEquals(ZoneStatus.CONVERGED, BeliefMath.status(0.02, 0, S));
        assertEquals(ZoneStatus.CONVERGED, BeliefMath.status(0.01, 9, S)); // converged wins over stalled
        assertEquals(ZoneStatus.RECOVERING, BeliefMath.status(0.021, 0, S));
        assertEquals(ZoneStatus.RECOVERING, BeliefMath.status(0.10, 4, S));
        assertEquals(ZoneStatus.DIVERGED, BeliefMath.status(0.11, 0, S));
        assertEquals(ZoneStatus.STALLED, BeliefMath.status(0.11, 5, S));
        assertEquals(ZoneStatus.STALLED, BeliefMath.status(0.05, 5, S));
    }

    @Test
    void theStallCounterGrowsWhileDivergenceDoesNotFall() {
        assertEquals(0, BeliefMath.cyclesWithoutFall(null, 0.4, 3));
        assertEquals(4, BeliefMath.cyclesWithoutFall(0.4, 0.4, 3));
        assertEquals(4, BeliefMath.cyclesWithoutFall(0.3, 0.4, 3));
        assertEquals(0, BeliefMath.cyclesWithoutFall(0.4, 0.39, 3));
    }

    private static Map<String, Double> roundAll(Map<String, Double> m) {
        Map<String, Double> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(k, Math.round(v * 1e9) / 1e9));
        return out;
    }
}
