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

    private LoadMap(Builder b) {
        assistantIds = Arrays.copyOf(b.assistantIds, b.na);
        groups = Arrays.copyOf(b.groups, b.na);
        capacity = Arrays.copyOf(b.capacity, b.na);
        memoryEntropy = Arrays.copyOf(b.entropy, b.na);
        codexIds = Arrays.copyOf(b.codexIds, b.nc);
        codexOwner = Arrays.copyOf(b.codexOwner, b.nc);
        pressure = Arrays.copyOf(b.pressure, b.nc);
        readMostly = Arrays.copyOf(b.readMostly, b.nc);
        ritualIds = Arrays.copyOf(b.ritualIds, b.nr);
        ritualOwner = Arrays.copyOf(b.ritualOwner, b.nr);
        density = Arrays.copyOf(b.density, b.nr);
        priority = Arrays.copyOf(b.priority, b.nr);
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

    /** A copy of this map with the codices' owners replaced (the applied result of a plan's moves). */
    public LoadMap withOwners(int[] owners) {
        Builder b = toBuilder();
        System.arraycopy(owners, 0, b.codexOwner, 0, owners.length);
        return new LoadMap(b);
    }

    private Builder toBuilder() {
        Builder b = new Builder();
        b.assistantIds = assistantIds.clone();
        b.groups = groups.clone();
        b.capacity = capacity.clone();
        b.entropy = memoryEntropy.clone();
        b.na = assistantIds.length;
        b.codexIds = codexIds.clone();
        b.codexOwner = codexOwner.clone();
        b.pressure = pressure.clone();
        b.readMostly = readMostly.clone();
        b.nc = codexIds.length;
        b.ritualIds = ritualIds.clone();
        b.ritualOwner = ritualOwner.clone();
        b.density = density.clone();
        b.priority = priority.clone();
        b.nr = ritualIds.length;
        for (int a = 0; a < b.na; a++) {
            b.index.put(assistantIds[a], a);
        }
        return b;
    }

    /** Accumulates a map; assistants first, then codices and rituals naming them by id. */
    public static final class Builder {
        private String[] assistantIds = new String[16];
        private String[] groups = new String[16];
        private double[] capacity = new double[16];
        private double[] entropy = new double[16];
        private int na;
        private String[] codexIds = new String[16];
        private int[] codexOwner = new int[16];
        private double[] pressure = new double[16];
        private boolean[] readMostly = new boolean[16];
        private int nc;
        private String[] ritualIds = new String[4];
        private int[] ritualOwner = new int[4];
        private double[] density = new double[4];
        private RitualPriority[] priority = new RitualPriority[4];
        private int nr;
        private final Map<String, Integer> index = new HashMap<>();

        public Builder assistant(String id, String group, double capacity, double memoryEntropy) {
            if (index.containsKey(id)) {
                throw new IllegalArgumentException("duplicate assistant " + id);
            }
            if (na == assistantIds.length) {
                int n = na * 2;
                assistantIds = Arrays.copyOf(assistantIds, n);
                groups = Arrays.copyOf(groups, n);
                this.capacity = Arrays.copyOf(this.capacity, n);
                entropy = Arrays.copyOf(entropy, n);
            }
            index.put(id, na);
            assistantIds[na] = id;
            groups[na] = group;
            this.capacity[na] = capacity;
            entropy[na] = memoryEntropy;
            na++;
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
            if (nc == codexIds.length) {
                int n = nc * 2;
                codexIds = Arrays.copyOf(codexIds, n);
                codexOwner = Arrays.copyOf(codexOwner, n);
                this.pressure = Arrays.copyOf(this.pressure, n);
                this.readMostly = Arrays.copyOf(this.readMostly, n);
            }
            codexIds[nc] = id;
            codexOwner[nc] = owner;
            this.pressure[nc] = pressure;
            this.readMostly[nc] = readMostly;
            nc++;
            return this;
        }

        public Builder ritual(String id, String assistantId, double density, RitualPriority priority) {
            if (nr == ritualIds.length) {
                int n = nr * 2;
                ritualIds = Arrays.copyOf(ritualIds, n);
                ritualOwner = Arrays.copyOf(ritualOwner, n);
                this.density = Arrays.copyOf(this.density, n);
                this.priority = Arrays.copyOf(this.priority, n);
            }
            ritualIds[nr] = id;
            ritualOwner[nr] = owner(assistantId);
            this.density[nr] = density;
            this.priority[nr] = priority;
            nr++;
            return this;
        }

        private int owner(String assistantId) {
            Integer a = index.get(assistantId);
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
