package io.mythos.loadbalancer.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends moved codices back home where home can take them again within what it is allowed at the target
 * the group reached: such a move bought nothing. Heaviest first, so that the most moved pressure goes back.
 */
final class MoveTrimmer {

    private MoveTrimmer() {
    }

    static void trim(Assignment assignment, GroupTarget reached, int[] codices) {
        LoadMap map = assignment.map;
        List<Integer> moved = new ArrayList<>();
        for (int c : codices) {
            if (assignment.owner[c] != assignment.home[c]) {
                moved.add(c);
            }
        }
        moved.sort(map::heavierFirst);
        for (int c : moved) {
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
