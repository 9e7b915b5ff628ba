package io.mythos.loadbalancer.planner;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The codices each assistant of a group held at the start of a pass: ejections may only take those,
 * and donors shed from them. Indexed once per pass by a counting sort over the group's codices.
 */
final class HeldCodices {

    private final LoadMap map;
    private final GroupTarget target;
    /** Codices by holder: those of assistant a are {@code held[heldStart[a] .. heldStart[a + 1])}. */
    private int[] heldStart;
    private int[] held;
    private final Map<Integer, int[]> movableHeaviestFirst = new HashMap<>();

    HeldCodices(LoadMap map, GroupTarget target) {
        this.map = map;
        this.target = target;
    }

    void index(int[] codices, int[] owner) {
        int assistants = map.assistantCount();
        movableHeaviestFirst.clear();
        heldStart = new int[assistants + 1];
        for (int c : codices) {
            heldStart[owner[c] + 1]++;
        }
        for (int a = 0; a < assistants; a++) {
            heldStart[a + 1] += heldStart[a];
        }
        held = new int[codices.length];
        int[] fill = Arrays.copyOf(heldStart, assistants);
        for (int c : codices) {
            held[fill[owner[c]]++] = c;
        }
    }

    /** The assistant's movable codices, heaviest first (ties by id); computed once per pass. */
    int[] movableHeaviestFirst(int assistant) {
        return movableHeaviestFirst.computeIfAbsent(assistant, a -> Arrays.stream(held, heldStart[a], heldStart[a + 1])
                .filter(c -> target.movable(map.pressure[c])).boxed().sorted(map::heavierFirst)
                .mapToInt(Integer::intValue).toArray());
    }

    /** {@code room} plus the pressure of the assistant's movable codices (which an ejection could hand on). */
    double roomWithMovable(int assistant, double room) {
        for (int i = heldStart[assistant]; i < heldStart[assistant + 1]; i++) {
            if (target.movable(map.pressure[held[i]])) {
                room += map.pressure[held[i]];
            }
        }
        return room;
    }
}
