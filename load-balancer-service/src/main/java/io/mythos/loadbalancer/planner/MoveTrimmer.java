package io.mythos.loadbalancer.planner;

import java.util.Arrays;

/**
 * Sends moved codices back home where home can take them again within what it is allowed at the target
 * the group reached: such a move bought nothing. Heaviest first, so that the most moved pressure goes back.
 * Only codices whose home has room for them are sorted, so that a large plan whose donors sit at the
 * target pays one scan.
 */
final class MoveTrimmer {

    private MoveTrimmer() {
    }

    static void trim(Assignment assignment, GroupTarget reached, int[] codices) {
        LoadMap map = assignment.map;
        int[] candidates = new int[16];
        int n = 0;
        for (int c : codices) {
            int home = assignment.home[c];
            double p = map.pressure[c];
            if (assignment.owner[c] != home && reached.headroomOf(assignment, home) + Planner.EPS * Math.max(1, p) >= p) {
                if (n == candidates.length) {
                    candidates = Arrays.copyOf(candidates, n * 2);
                }
                candidates[n++] = c;
            }
        }
        if (n == 0) {
            return;
        }
        int[] heaviestFirst = Arrays.stream(candidates, 0, n).boxed().sorted(map::heavierFirst)
                .mapToInt(Integer::intValue).toArray();
        for (int c : heaviestFirst) {
            int home = assignment.home[c];
            double p = map.pressure[c];
            if (reached.headroomOf(assignment, home) + Planner.EPS * Math.max(1, p) >= p) {
                assignment.load[assignment.owner[c]] -= p;
                assignment.load[home] += p;
                assignment.owner[c] = home;
                assignment.movedCodices--;
            }
        }
    }
}
