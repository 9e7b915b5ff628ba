package io.mythos.loadbalancer.planner;

import io.mythos.common.load.RitualPriority;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The planner's input: the load map as flat arrays (one index per assistant, codex and ritual), so that
 * a million codices cost a few arrays rather than a million objects. Built with {@link Builder}.
 */
public final class LoadMap {

    final String[] assistantIds;
    final String[] groups;
    final double[] capacity;
    final double[] memoryEntropy;
    final String[] codexIds;
    final int[] codexOwner;
    final double[] pressure;
    final boolean[] readMostly;
    final String[] ritualIds;
    final int[] ritualOwner;
    final double[] density;
    final RitualPriority[] priority;

    private LoadMap(Builder builder) {
        assistantIds = Arrays.copyOf(builder.assistantIds, builder.assistantCount);
        groups = Arrays.copyOf(builder.groups, builder.assistantCount);
        capacity = Arrays.copyOf(builder.capacity, builder.assistantCount);
        memoryEntropy = Arrays.copyOf(builder.memoryEntropy, builder.assistantCount);
        codexIds = Arrays.copyOf(builder.codexIds, builder.codexCount);
        codexOwner = Arrays.copyOf(builder.codexOwner, builder.codexCount);
        pressure = Arrays.copyOf(builder.pressure, builder.codexCount);
        readMostly = Arrays.copyOf(builder.readMostly, builder.codexCount);
        ritualIds = Arrays.copyOf(builder.ritualIds, builder.ritualCount);
        ritualOwner = Arrays.copyOf(builder.ritualOwner, builder.ritualCount);
        density = Arrays.copyOf(builder.density, builder.ritualCount);
        priority = Arrays.copyOf(builder.priority, builder.ritualCount);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int assistantCount() {
        return assistantIds.length;
    }

    public int codexCount() {
        return codexIds.length;
    }

    public int ritualCount() {
        return ritualIds.length;
    }

    public String assistantId(int a) {
        return assistantIds[a];
    }

    public String group(int a) {
        return groups[a];
    }

    public double capacity(int a) {
        return capacity[a];
    }

    public double memoryEntropy(int a) {
        return memoryEntropy[a];
    }

    public String codexId(int c) {
        return codexIds[c];
    }

    public int codexOwner(int c) {
        return codexOwner[c];
    }

    public double pressure(int c) {
        return pressure[c];
    }

    public boolean readMostly(int c) {
        return readMostly[c];
    }

    public String ritualId(int r) {
        return ritualIds[r];
    }

    public int ritualOwner(int r) {
        return ritualOwner[r];
    }

    public double density(int r) {
        return density[r];
    }

    public RitualPriority priority(int r) {
        return priority[r];
    }

    /** The index of an assistant id, or -1. Linear: for callers outside the hot path. */
    public int indexOfAssistant(String id) {
        for (int a = 0; a < assistantIds.length; a++) {
            if (assistantIds[a].equals(id)) {
                return a;
            }
        }
        return -1;
    }

    /** Heavier codex first, ties by codex id: the order in which codices are shed and placed. */
    int heavierFirst(int x, int y) {
        int c = Double.compare(pressure[y], pressure[x]);
        return c != 0 ? c : codexIds[x].compareTo(codexIds[y]);
    }

    /** Accumulates a map; assistants first, then codices and rituals naming them by id. */
    public static final class Builder {
        private String[] assistantIds = new String[16];
        private String[] groups = new String[16];
        private double[] capacity = new double[16];
        private double[] memoryEntropy = new double[16];
        private int assistantCount;
        private String[] codexIds = new String[16];
        private int[] codexOwner = new int[16];
        private double[] pressure = new double[16];
        private boolean[] readMostly = new boolean[16];
        private int codexCount;
        private String[] ritualIds = new String[4];
        private int[] ritualOwner = new int[4];
        private double[] density = new double[4];
        private RitualPriority[] priority = new RitualPriority[4];
        private int ritualCount;
        private final Map<String, Integer> indexById = new HashMap<>();

        public Builder assistant(String id, String group, double capacity, double memoryEntropy) {
            if (indexById.containsKey(id)) {
                throw new IllegalArgumentException("duplicate assistant " + id);
            }
            if (assistantCount == assistantIds.length) {
                int size = assistantCount * 2;
                assistantIds = Arrays.copyOf(assistantIds, size);
                groups = Arrays.copyOf(groups, size);
                this.capacity = Arrays.copyOf(this.capacity, size);
                this.memoryEntropy = Arrays.copyOf(this.memoryEntropy, size);
            }
            indexById.put(id, assistantCount);
            assistantIds[assistantCount] = id;
            groups[assistantCount] = group;
            this.capacity[assistantCount] = capacity;
            this.memoryEntropy[assistantCount] = memoryEntropy;
            assistantCount++;
            return this;
        }

        public Builder codex(String id, String assistantId, double pressure) {
            return codex(id, owner(assistantId), pressure, false);
        }

        public Builder codex(String id, String assistantId, double pressure, boolean readMostly) {
            return codex(id, owner(assistantId), pressure, readMostly);
        }

        /** By assistant index (the order of {@link #assistant} calls): the cheap path for large maps. */
        public Builder codex(String id, int owner, double pressure) {
            return codex(id, owner, pressure, false);
        }

        /** {@code readMostly}: too heavy to move, such a codex is replicated rather than split. */
        public Builder codex(String id, int owner, double pressure, boolean readMostly) {
            if (codexCount == codexIds.length) {
                int size = codexCount * 2;
                codexIds = Arrays.copyOf(codexIds, size);
                codexOwner = Arrays.copyOf(codexOwner, size);
                this.pressure = Arrays.copyOf(this.pressure, size);
                this.readMostly = Arrays.copyOf(this.readMostly, size);
            }
            codexIds[codexCount] = id;
            codexOwner[codexCount] = owner;
            this.pressure[codexCount] = pressure;
            this.readMostly[codexCount] = readMostly;
            codexCount++;
            return this;
        }

        public Builder ritual(String id, String assistantId, double density, RitualPriority priority) {
            if (ritualCount == ritualIds.length) {
                int size = ritualCount * 2;
                ritualIds = Arrays.copyOf(ritualIds, size);
                ritualOwner = Arrays.copyOf(ritualOwner, size);
                this.density = Arrays.copyOf(this.density, size);
                this.priority = Arrays.copyOf(this.priority, size);
            }
            ritualIds[ritualCount] = id;
            ritualOwner[ritualCount] = owner(assistantId);
            this.density[ritualCount] = density;
            this.priority[ritualCount] = priority;
            ritualCount++;
            return this;
        }

        private int owner(String assistantId) {
            Integer a = indexById.get(assistantId);
            if (a == null) {
                throw new IllegalArgumentException("unknown assistant " + assistantId);
            }
            return a;
        }

        public LoadMap build() {
            return new LoadMap(this);
        }
    }
}
