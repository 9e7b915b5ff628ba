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
    /** Per assistant: its rituals' cost as the map has them (before any spread). */
    final double[] ritualLoad;
    /** Per codex: the index of the assistant holding it; -1 while a pass has it in flight. */
    final int[] owner;
    /**
     * Per codex: where a move is counted from. The owner in the map, except while {@link GroupBalancer}
     * re-plans its own result as if it had been applied.
     */
    final int[] home;
    /** How many codices are away from their home: the moves of the plan so far. */
    int movedCodices;

    Assignment(LoadMap map) {
        this.map = map;
        int assistants = map.assistantCount();
        effectiveCapacity = new double[assistants];
        load = new double[assistants];
        ritualLoad = new double[assistants];
        owner = map.codexOwner.clone();
        home = map.codexOwner.clone();
        for (int a = 0; a < assistants; a++) {
            effectiveCapacity[a] = LoadFormulas.effectiveCapacity(map.capacity[a], map.memoryEntropy[a]);
        }
        for (int r = 0; r < map.ritualCount(); r++) {
            ritualLoad[map.ritualOwner[r]] += LoadFormulas.RITUAL_COST * map.density[r];
        }
        System.arraycopy(ritualLoad, 0, load, 0, assistants);
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

    /** One group's part of the state, to try a placement and come back. */
    record Snapshot(int[] members, int[] codices, int[] owners, double[] loads, int movedCodices) {
    }

    Snapshot save(int[] members, int[] codices) {
        int[] owners = new int[codices.length];
        for (int i = 0; i < codices.length; i++) {
            owners[i] = owner[codices[i]];
        }
        double[] loads = new double[members.length];
        for (int i = 0; i < members.length; i++) {
            loads[i] = load[members[i]];
        }
        return new Snapshot(members, codices, owners, loads, movedCodices);
    }

    void restore(Snapshot s) {
        for (int i = 0; i < s.codices().length; i++) {
            owner[s.codices()[i]] = s.owners()[i];
        }
        for (int i = 0; i < s.members().length; i++) {
            load[s.members()[i]] = s.loads()[i];
        }
        movedCodices = s.movedCodices();
    }
}
