package io.mythos.loadbalancer.planner;

/**
 * The state a plan works on: which assistant holds each codex now, and what each assistant carries.
 * Starts as the map is; the placing and spreading steps change it; the plan's figures are read off it.
 */
final class Assignment {

    final LoadMap map;
    final double[] effectiveCapacity;
    /** Per assistant: its codices' pressure plus its rituals' cost. */
    final double[] load;
    /** Per codex: the index of the assistant holding it; -1 while a pass has it in flight. */
    final int[] owner;
    /** How many codices are away from their owner in the map: the moves of the plan so far. */
    int movedCodices;

    Assignment(LoadMap map) {
        this.map = map;
        int assistants = map.assistantCount();
        effectiveCapacity = new double[assistants];
        load = new double[assistants];
        owner = map.codexOwner.clone();
        for (int a = 0; a < assistants; a++) {
            effectiveCapacity[a] = LoadFormulas.effectiveCapacity(map.capacity[a], map.memoryEntropy[a]);
        }
        for (int r = 0; r < map.ritualCount(); r++) {
            load[map.ritualOwner[r]] += LoadFormulas.RITUAL_COST * map.density[r];
        }
        for (int c = 0; c < owner.length; c++) {
            load[owner[c]] += map.pressure[c];
        }
    }

    double utilization(int assistant) {
        return load[assistant] / effectiveCapacity[assistant];
    }

    /** Most utilized first, ties by assistant id. */
    int moreUtilizedFirst(int x, int y) {
        int c = Double.compare(utilization(y), utilization(x));
        return c != 0 ? c : map.assistantIds[x].compareTo(map.assistantIds[y]);
    }
}
