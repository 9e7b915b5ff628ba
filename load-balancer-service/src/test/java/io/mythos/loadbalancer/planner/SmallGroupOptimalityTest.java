package io.mythos.loadbalancer.planner;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The planner against the exact optimum ({@link ExactBalance}) and a full LPT reassignment ({@link Lpt}) on
 * random small groups ({@link SmallGroups}: 2-5 assistants, 1-8 lumpy codices piled on one or two of them,
 * mixed capacities and entropies, now and then a ritual), at the default target imbalance and at 1.0.
 *
 * <p>Every group must: never end worse than LPT (at 1.05: worse than both LPT and the target asked for,
 * since a target of 1.05 × mean is a plan the caller accepted), and never leave an assistant above 1.0
 * where every assistant can be at or below 1.0. Counted over all groups, and printed: the max utilization
 * within 5 % of the optimum in at least 95 % of them; the moves within 1.5 × the fewest moves that reach the
 * optimum in at least 90 %.
 */
class SmallGroupOptimalityTest {

    static final int GROUPS = 1500;
    static final long FIRST_SEED = 20261129L;
    private static final double TOL = 1e-9;

    /** The counts over the groups, and the seeds that missed a share (to rebuild them). */
    record Shares(double targetImbalance, int groups, int within5, double worstRatio, int movesWithin,
                  int movesWithinTarget, int canAllBeAtMostOne, int endAtMostOne, List<String> failures,
                  List<Long> missedMax, List<Long> missedMoves) {

        String line() {
            return String.format(Locale.ROOT, "target_imbalance %.2f, %d groups (seeds %d..%d): max utilization within 5 %% of"
                            + " the optimum in %d (%.1f %%), worst %.3f × the optimum; moves ≤ 1.5 × the fewest that reach the"
                            + " optimum in %d (%.1f %%), ≤ 1.5 × the fewest that reach the optimal common target in %d (%.1f %%);"
                            + " all at or below 1.0 possible in %d, reached in %d; failures: %s",
                    targetImbalance, groups, FIRST_SEED, FIRST_SEED + groups - 1, within5, 100.0 * within5 / groups,
                    worstRatio, movesWithin, 100.0 * movesWithin / groups, movesWithinTarget,
                    100.0 * movesWithinTarget / groups, canAllBeAtMostOne, endAtMostOne, failures.isEmpty() ? "none" : failures);
        }
    }

    static Shares measure(double targetImbalance, int groups) {
        Planner planner = new Planner();
        int within5 = 0;
        int movesWithin = 0;
        int movesWithinTarget = 0;
        int canAllBeAtMostOne = 0;
        int endAtMostOne = 0;
        double worst = 1;
        List<String> failures = new ArrayList<>();
        List<Long> missedMax = new ArrayList<>();
        List<Long> missedMoves = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            long seed = FIRST_SEED + i;
            LoadMap m = SmallGroups.group(seed);
            ExactBalance.Optimum best = ExactBalance.of(m);
            Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap(targetImbalance, Integer.MAX_VALUE));
            double max = maxUtilization(m, plan.owners());
            int moves = plan.moves().size();
            if (max <= best.maxUtilization() * 1.05 * (1 + TOL)) {
                within5++;
            } else {
                missedMax.add(seed);
            }
            worst = Math.max(worst, max / best.maxUtilization());
            if (moves <= 1.5 * best.fewestMoves()) {
                movesWithin++;
            } else {
                missedMoves.add(seed);
            }
            if (moves <= 1.5 * best.fewestMovesToTarget()) {
                movesWithinTarget++;
            }
            double lpt = Lpt.maxUtilization(m);
            double asked = targetImbalance * mean(m);
            if (max > Math.max(lpt, targetImbalance > 1 ? asked : 0) * (1 + TOL)) {
                failures.add("seed " + seed + ": " + max + " above LPT's " + lpt);
            }
            if (best.maxUtilization() <= 1 + TOL) {
                canAllBeAtMostOne++;
                if (max <= 1 + TOL) {
                    endAtMostOne++;
                } else {
                    failures.add("seed " + seed + ": " + max + " although every assistant can be at or below 1.0");
                }
            }
        }
        return new Shares(targetImbalance, groups, within5, worst, movesWithin, movesWithinTarget, canAllBeAtMostOne,
                endAtMostOne, failures, missedMax, missedMoves);
    }

    @ParameterizedTest(name = "target_imbalance {0}")
    @ValueSource(doubles = {1.05, 1.0})
    void nearTheOptimumNeverWorseThanLptNeverNeedlesslyAboveOne(double targetImbalance) {
        Shares s = measure(targetImbalance, GROUPS);
        System.out.println(s.line());
        assertTrue(s.failures().isEmpty(), s::line);
        assertTrue(s.within5() >= 0.95 * s.groups(), () -> s.line() + "; more than 5 % off: seeds " + s.missedMax());
        assertTrue(s.movesWithin() >= 0.90 * s.groups(), () -> s.line() + "; too many moves: seeds " + s.missedMoves());
    }

    static double maxUtilization(LoadMap m, int[] owners) {
        double[] load = PlannerPropertiesTest.loads(m, owners);
        double max = 0;
        for (int a = 0; a < m.assistantCount(); a++) {
            max = Math.max(max, PlannerPropertiesTest.util(m, load, a));
        }
        return max;
    }

    private static double mean(LoadMap m) {
        double[] load = PlannerPropertiesTest.loads(m, m.codexOwner);
        double sumLoad = 0;
        double sumCapacity = 0;
        for (int a = 0; a < m.assistantCount(); a++) {
            sumLoad += load[a];
            sumCapacity += LoadFormulas.effectiveCapacity(m.capacity(a), m.memoryEntropy(a));
        }
        return sumLoad / sumCapacity;
    }
}
