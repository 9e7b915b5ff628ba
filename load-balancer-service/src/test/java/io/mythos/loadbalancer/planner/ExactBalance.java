package io.mythos.loadbalancer.planner;

import java.util.Arrays;

/**
 * The exact reference for one small group (up to 5 assistants and 8 codices, or a little more): every
 * assignment of the movable codices to the group's assistants is tried (depth first, heaviest codex
 * first, with pruning), under the same rules as the planner: a codex heavier than
 * {@link LoadFormulas#SPLIT_FRACTION} × the largest effective capacity, or weightless, stays where it is;
 * rituals stay. It answers:
 * <ul>
 * <li>the lowest max utilization any such plan reaches, and the fewest moves that reach it;</li>
 * <li>the lowest <em>common target</em> and the fewest moves that reach it, where a plan reaches a target
 * T when every assistant is at or below max(T, its floor), its floor being the utilization of what it
 * cannot shed (its rituals and its codices too heavy to move): the planner's own objective, which also
 * relieves the other assistants of a group whose max is pinned by an unmovable codex.</li>
 * </ul>
 * Brute force on purpose: it shares no code with the planner, so that it can judge it.
 */
final class ExactBalance {

    /** Relative tolerance when comparing utilizations. */
    static final double TOL = 1e-9;

    /**
     * @param maxUtilization lowest reachable max utilization
     * @param fewestMoves    fewest codex moves of a plan whose max utilization is {@code maxUtilization}
     * @param target         lowest reachable common target
     * @param fewestMovesToTarget fewest codex moves of a plan that reaches {@code target}
     */
    record Optimum(double maxUtilization, int fewestMoves, double target, int fewestMovesToTarget) {
    }

    private final double[] capacity;
    private final double[] floorLoad;
    private final double[] floor;
    private final double[] pressure;
    private final int[] home;
    private final double[] load;
    private double bestMax;
    private double bestTarget;
    private int fewestMoves;
    private int fewestMovesToTarget;

    private ExactBalance(LoadMap m) {
        int n = m.assistantCount();
        capacity = new double[n];
        floorLoad = new double[n];
        double largest = 0;
        for (int a = 0; a < n; a++) {
            capacity[a] = LoadFormulas.effectiveCapacity(m.capacity(a), m.memoryEntropy(a));
            largest = Math.max(largest, capacity[a]);
        }
        for (int r = 0; r < m.ritualCount(); r++) {
            floorLoad[m.ritualOwner(r)] += LoadFormulas.RITUAL_COST * m.density(r);
        }
        int movable = 0;
        Integer[] order = new Integer[m.codexCount()];
        for (int c = 0; c < m.codexCount(); c++) {
            order[c] = c;
            double p = m.pressure(c);
            if (p > 0 && p <= LoadFormulas.SPLIT_FRACTION * largest) {
                movable++;
            } else {
                floorLoad[m.codexOwner(c)] += p;
            }
        }
        Arrays.sort(order, (x, y) -> Double.compare(m.pressure(y), m.pressure(x)));
        pressure = new double[movable];
        home = new int[movable];
        int i = 0;
        for (int c : order) {
            double p = m.pressure(c);
            if (p > 0 && p <= LoadFormulas.SPLIT_FRACTION * largest) {
                pressure[i] = p;
                home[i++] = m.codexOwner(c);
            }
        }
        floor = new double[n];
        for (int a = 0; a < n; a++) {
            floor[a] = floorLoad[a] / capacity[a];
        }
        load = floorLoad.clone();
    }

    /** @param m one group, no more than about 5 assistants and 8 codices (the cost is assistants^codices) */
    static Optimum of(LoadMap m) {
        ExactBalance e = new ExactBalance(m);
        e.bestMax = Double.POSITIVE_INFINITY;
        e.bestTarget = Double.POSITIVE_INFINITY;
        e.optimize(0, 0, 0);
        e.fewestMoves = Integer.MAX_VALUE;
        e.fewestMovesToTarget = Integer.MAX_VALUE;
        e.fewest(0, 0, 0, 0);
        return new Optimum(e.bestMax, e.fewestMoves, e.bestTarget, e.fewestMovesToTarget);
    }

    /** Whether the assistants can all be at or below {@code level} (the floors allowing). */
    static boolean allowsAllAtOrBelow(LoadMap m, double level) {
        return of(m).maxUtilization() <= level * (1 + TOL);
    }

    /**
     * Pass 1: the lowest max utilization and the lowest common target. {@code max} and {@code target} are
     * those of the codices placed so far; both only grow as more are placed.
     */
    private void optimize(int i, double max, double target) {
        if (max >= bestMax && target >= bestTarget) {
            return;
        }
        if (i == pressure.length) {
            double m = max;
            for (int a = 0; a < load.length; a++) {
                m = Math.max(m, load[a] / capacity[a]);
            }
            bestMax = Math.min(bestMax, m);
            bestTarget = Math.min(bestTarget, target);
            return;
        }
        for (int a = 0; a < load.length; a++) {
            load[a] += pressure[i];
            double u = load[a] / capacity[a];
            optimize(i + 1, Math.max(max, u), Math.max(target, u));
            load[a] -= pressure[i];
        }
    }

    /** Pass 2: the fewest moves reaching each optimum. */
    private void fewest(int i, double max, double target, int moves) {
        boolean maxPossible = max <= bestMax * (1 + TOL) && moves < fewestMoves;
        boolean targetPossible = target <= bestTarget * (1 + TOL) && moves < fewestMovesToTarget;
        if (!maxPossible && !targetPossible) {
            return;
        }
        if (i == pressure.length) {
            double m = max;
            for (int a = 0; a < load.length; a++) {
                m = Math.max(m, load[a] / capacity[a]);
            }
            if (m <= bestMax * (1 + TOL)) {
                fewestMoves = Math.min(fewestMoves, moves);
            }
            if (targetPossible) {
                fewestMovesToTarget = moves;
            }
            return;
        }
        // home first, so that the fewest-move plans are met early and prune the rest
        for (int k = -1; k < load.length; k++) {
            int a = k < 0 ? home[i] : k;
            if (k >= 0 && k == home[i]) {
                continue;
            }
            load[a] += pressure[i];
            double u = load[a] / capacity[a];
            fewest(i + 1, Math.max(max, u), Math.max(target, u), moves + (a == home[i] ? 0 : 1));
            load[a] -= pressure[i];
        }
    }

    /** The floor of an assistant: the utilization of what it cannot shed. */
    double floorOf(int a) {
        return floor[a];
    }
}
