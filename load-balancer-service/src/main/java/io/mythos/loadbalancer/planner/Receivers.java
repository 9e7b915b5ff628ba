package io.mythos.loadbalancer.planner;

import java.util.Iterator;
import java.util.TreeSet;

/**
 * The assistants of a group ordered by headroom under the target, most first (ties by id): where a
 * shed codex goes (worst-fit). The headroom array is sized for the whole map and reused by every group.
 */
final class Receivers implements Iterable<Integer> {

    private final double[] headroom;
    private final TreeSet<Integer> byHeadroom;

    Receivers(LoadMap map) {
        this.headroom = new double[map.assistantCount()];
        this.byHeadroom = new TreeSet<>((x, y) -> {
            int c = Double.compare(headroom[y], headroom[x]);
            return c != 0 ? c : map.assistantIds[x].compareTo(map.assistantIds[y]);
        });
    }

    void reset(Assignment assignment, int[] members, GroupTarget target) {
        byHeadroom.clear();
        for (int a : members) {
            headroom[a] = target.headroomOf(assignment, a);
            byHeadroom.add(a);
        }
    }

    int roomiest() {
        return byHeadroom.first();
    }

    double headroom(int assistant) {
        return headroom[assistant];
    }

    void take(int assistant, double pressure) {
        byHeadroom.remove(assistant);
        headroom[assistant] -= pressure;
        byHeadroom.add(assistant);
    }

    void release(int assistant, double pressure) {
        byHeadroom.remove(assistant);
        headroom[assistant] += pressure;
        byHeadroom.add(assistant);
    }

    /** Roomiest first. */
    @Override
    public Iterator<Integer> iterator() {
        return byHeadroom.iterator();
    }
}
