package io.mythos.loadbalancer.planner;

import java.util.Arrays;

/**
 * A full LPT reassignment of the codices a group may shed: every movable codex of a relieved assistant is
 * lifted, then placed heaviest first on the assistant it leaves least utilized. Many moves, but a max
 * utilization that evacuate-and-place cannot always match on lumpy groups: {@link GroupBalancer} uses it as
 * an incumbent to beat, and keeps it (trimmed of needless moves) only when nothing better is found.
 */
final class LptPlacement {

    private LptPlacement() {
    }

    static void place(Assignment assignment, Scope scope, GroupTarget target, int[] members, int[] codices) {
        LoadMap map = assignment.map;
        int[] lifted = Arrays.stream(codices)
                .filter(c -> target.movable(map.pressure[c]) && scope.relieves(assignment.owner[c])).toArray();
        for (int c : lifted) {
            assignment.load[assignment.owner[c]] -= map.pressure[c];
        }
        IntHeap heaviestFirst = new IntHeap(map::heavierFirst);
        for (int c : lifted) {
            heaviestFirst.add(c);
        }
        while (!heaviestFirst.isEmpty()) {
            int c = heaviestFirst.poll();
            double p = map.pressure[c];
            int best = -1;
            double bestUtilization = Double.POSITIVE_INFINITY;
            for (int a : members) {
                double u = (assignment.load[a] + p) / assignment.effectiveCapacity[a];
                if (u < bestUtilization) {
                    best = a;
                    bestUtilization = u;
                }
            }
            boolean wasMoved = assignment.owner[c] != assignment.home[c];
            boolean isMoved = best != assignment.home[c];
            assignment.movedCodices += (isMoved ? 1 : 0) - (wasMoved ? 1 : 0);
            assignment.owner[c] = best;
            assignment.load[best] += p;
        }
    }
}
