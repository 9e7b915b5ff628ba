package io.mythos.loadbalancer.planner;

import java.util.Arrays;

/**
 * The naive baseline: a full LPT reassignment of a group's movable codices (heaviest first, each to
 * the assistant it leaves least utilized), over the load nobody can move (rituals, codices too heavy
 * to move, weightless ones). Written apart from the planner, to judge it.
 */
final class Lpt {

    private Lpt() {
    }

    /** The max utilization LPT reaches on a one-group map. */
    static double maxUtilization(LoadMap m) {
        int n = m.assistantCount();
        double[] capacity = new double[n];
        double[] load = new double[n];
        double largest = 0;
        for (int a = 0; a < n; a++) {
            capacity[a] = LoadFormulas.effectiveCapacity(m.capacity(a), m.memoryEntropy(a));
            largest = Math.max(largest, capacity[a]);
        }
        for (int r = 0; r < m.ritualCount(); r++) {
            load[m.ritualOwner(r)] += LoadFormulas.RITUAL_COST * m.density(r);
        }
        Integer[] order = new Integer[m.codexCount()];
        for (int c = 0; c < m.codexCount(); c++) {
            order[c] = c;
        }
        Arrays.sort(order, (x, y) -> Double.compare(m.pressure(y), m.pressure(x)));
        for (int c : order) {
            double p = m.pressure(c);
            if (!(p > 0 && p <= LoadFormulas.SPLIT_FRACTION * largest)) {
                load[m.codexOwner(c)] += p;
            }
        }
        for (int c : order) {
            double p = m.pressure(c);
            if (p > 0 && p <= LoadFormulas.SPLIT_FRACTION * largest) {
                int best = 0;
                for (int a = 1; a < n; a++) {
                    if ((load[a] + p) / capacity[a] < (load[best] + p) / capacity[best]) {
                        best = a;
                    }
                }
                load[best] += p;
            }
        }
        double max = 0;
        for (int a = 0; a < n; a++) {
            max = Math.max(max, load[a] / capacity[a]);
        }
        return max;
    }
}
