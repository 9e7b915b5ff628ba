package io.mythos.loadbalancer.planner;

import java.util.Locale;

/**
 * Prints the table of the planner against the exact optimum and LPT on random small groups, the figures that
 * {@link SmallGroupOptimalityTest} asserts: {@code bin/bench load-balancer-service exact} (the benchmark's
 * argument {@code exact}).
 */
public final class ExactComparison {

    private ExactComparison() {
    }

    public static void print(int groups) {
        System.out.println("| target_imbalance | groups | max within 5 % of the optimum | worst max / optimum | LPT within 5 %"
                + " | worse than LPT | above 1.0 where all ≤ 1.0 is possible | moves ≤ 1.5 × fewest reaching the optimum"
                + " | moves ≤ 1.5 × fewest reaching the optimal common target | planner ms per group (mean) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (double ti : new double[] {1.05, 1.0}) {
            SmallGroupOptimalityTest.Shares s = SmallGroupOptimalityTest.measure(ti, groups);
            int lptWithin = 0;
            for (int i = 0; i < groups; i++) {
                LoadMap m = SmallGroups.group(SmallGroupOptimalityTest.FIRST_SEED + i);
                if (Lpt.maxUtilization(m) <= ExactBalance.of(m).maxUtilization() * 1.05 * (1 + 1e-9)) {
                    lptWithin++;
                }
            }
            long planStart = System.nanoTime();
            Planner planner = new Planner();
            for (int i = 0; i < groups; i++) {
                planner.plan(SmallGroups.group(SmallGroupOptimalityTest.FIRST_SEED + i), PlanOptions.wholeMap(ti, Integer.MAX_VALUE));
            }
            double planMs = (System.nanoTime() - planStart) / 1e6 / groups;
            System.out.printf(Locale.ROOT, "| %.2f | %d (seeds %d..) | %d (%.1f %%) | %.3f | %d (%.1f %%) | %d | %d of %d | %d (%.1f %%) | %d (%.1f %%) | %.3f |%n",
                    ti, groups, SmallGroupOptimalityTest.FIRST_SEED, s.within5(), 100.0 * s.within5() / groups, s.worstRatio(),
                    lptWithin, 100.0 * lptWithin / groups,
                    s.failures().stream().filter(f -> f.contains("LPT")).count(),
                    s.failures().stream().filter(f -> f.contains("1.0")).count(), s.canAllBeAtMostOne(),
                    s.movesWithin(), 100.0 * s.movesWithin() / groups, s.movesWithinTarget(),
                    100.0 * s.movesWithinTarget() / groups, planMs);
        }
    }
}
