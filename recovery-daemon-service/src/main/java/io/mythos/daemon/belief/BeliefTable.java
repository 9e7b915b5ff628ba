package io.mythos.daemon.belief;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A zone's replicas as one table, for {@link BeliefMath}'s consensus and divergences at the per-zone caps
 * (256 replicas x 10,000 beliefs): each belief name is interned to an int id once per zone, and the values
 * are stored column by column (one belief's values across the replicas side by side, a missing belief 0),
 * so the median of a belief is one sort of a primitive array and no value is boxed or looked up by name.
 * Cost O(replicas x beliefs x log replicas). Replicas can be kept out of the consensus (stale ones): they
 * still count for the zone's size (the caps), not for its figures.
 */
public final class BeliefTable {

    private final String[] names;
    private final int replicas;
    /** values[belief * replicas + replica]. */
    private final double[] values;
    private final boolean[] inConsensus;
    /** The beliefs that at least one replica in the consensus names (the consensus' keys). */
    private final boolean[] named;
    private final long valueCount;
    private double[] consensus;

    private BeliefTable(String[] names, int replicas, double[] values, boolean[] inConsensus, boolean[] named,
                        long valueCount) {
        this.names = names;
        this.valueCount = valueCount;
        this.replicas = replicas;
        this.values = values;
        this.inConsensus = inConsensus;
        this.named = named;
    }

    /** Every replica in the consensus, in the collection's order. */
    public static BeliefTable of(Iterable<Map<String, Double>> replicas) {
        Builder b = new Builder();
        for (Map<String, Double> r : replicas) {
            b.startReplica(true);
            r.forEach(b::put);
        }
        return b.build();
    }

    public int replicaCount() {
        return replicas;
    }

    /** The values the replicas hold in all (the measure of the work on the table). */
    public long valueCount() {
        return valueCount;
    }

    /** Distinct belief names over all replicas, those out of the consensus too. */
    public int beliefCount() {
        return names.length;
    }

    /** The consensus: per belief named by a replica in it, the median over those replicas (missing = 0), by name. */
    public Map<String, Double> consensus() {
        double[] c = consensusById();
        List<Integer> ids = new ArrayList<>();
        for (int b = 0; b < names.length; b++) {
            if (named[b]) {
                ids.add(b);
            }
        }
        ids.sort((x, y) -> names[x].compareTo(names[y]));
        Map<String, Double> out = new LinkedHashMap<>(ids.size() * 4 / 3 + 1);
        for (int b : ids) {
            out.put(names[b], c[b]);
        }
        return out;
    }

    /**
     * Each replica's divergence from the consensus (max |value - consensus| over the consensus' beliefs),
     * by replica index; NaN for a replica out of the consensus.
     */
    public double[] divergences() {
        double[] c = consensusById();
        double[] d = new double[replicas];
        // A belief no replica in the consensus names has consensus 0 and value 0 in every replica in it,
        // so running over every column adds nothing but |0 - 0|: the same max as over the consensus' keys.
        for (int b = 0; b < names.length; b++) {
            double cb = c[b];
            int base = b * replicas;
            for (int r = 0; r < replicas; r++) {
                d[r] = Math.max(d[r], Math.abs(values[base + r] - cb));
            }
        }
        for (int r = 0; r < replicas; r++) {
            if (!inConsensus[r]) {
                d[r] = Double.NaN;
            }
        }
        return d;
    }

    /** The largest divergence of a replica in the consensus; 0 when none is. */
    public double zoneDivergence() {
        double max = 0;
        double[] d = divergences();
        for (int r = 0; r < replicas; r++) {
            if (inConsensus[r]) {
                max = Math.max(max, d[r]);
            }
        }
        return max;
    }

    /** The median per belief id over the replicas in the consensus (0 for a belief none of them names). */
    private double[] consensusById() {
        if (consensus != null) {
            return consensus;
        }
        int[] members = new int[replicas];
        int n = 0;
        for (int r = 0; r < replicas; r++) {
            if (inConsensus[r]) {
                members[n++] = r;
            }
        }
        double[] c = new double[names.length];
        if (n > 0) {
            double[] column = new double[n];
            for (int b = 0; b < names.length; b++) {
                int base = b * replicas;
                for (int i = 0; i < n; i++) {
                    column[i] = values[base + members[i]];
                }
                c[b] = sortedMedian(column);
            }
        }
        consensus = c;
        return c;
    }

    /** The median as BeliefMath defines it (middle value, or the mean of the middle two); sorts {@code v}. */
    static double sortedMedian(double[] v) {
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** One replica's beliefs as ids of a {@link BeliefNames} and their values, in the same order. */
    public record Row(int[] ids, double[] values) {
    }

    /**
     * Fills a table replica by replica: belief by belief (e.g. straight from a belief map's JSON text), or a
     * whole {@link Row} interned earlier with the same {@link BeliefNames}. {@link #build} lays the values
     * out by column over the names the replicas use (a name the dictionary holds but no replica uses does
     * not count). A name given twice in one replica keeps its last value, as a map would.
     */
    public static final class Builder {

        private final BeliefNames names;
        private final List<Row> rows = new ArrayList<>();
        private final List<Boolean> rowInConsensus = new ArrayList<>();
        private int[] currentIds;
        private double[] currentValues;
        private int size;
        private long valueCount;

        public Builder() {
            this(new BeliefNames());
        }

        /** A builder whose rows are ids of {@code names} (which it extends with the names it is given). */
        public Builder(BeliefNames names) {
            this.names = names;
        }

        /** Starts the next replica; {@code inConsensus} false for one that only counts for the zone's size. */
        public Builder startReplica(boolean inConsensus) {
            finishReplica();
            currentIds = new int[16];
            currentValues = new double[16];
            size = 0;
            rowInConsensus.add(inConsensus);
            return this;
        }

        public Builder put(String name, double value) {
            if (size == currentIds.length) {
                currentIds = Arrays.copyOf(currentIds, size * 2);
                currentValues = Arrays.copyOf(currentValues, size * 2);
            }
            currentIds[size] = names.intern(name);
            currentValues[size] = value;
            size++;
            valueCount++;
            return this;
        }

        /** The next replica whole (its arrays are kept, not copied: the caller must not change them). */
        public Builder add(Row row, boolean inConsensus) {
            finishReplica();
            rows.add(row);
            rowInConsensus.add(inConsensus);
            valueCount += row.ids().length;
            return this;
        }

        /** The replica started last, as a row (ends it: the next put needs a startReplica). */
        public Row lastRow() {
            finishReplica();
            return rows.get(rows.size() - 1);
        }

        public int replicaCount() {
            return rowInConsensus.size();
        }

        /** Values put so far (a replica's repeated name counted each time). */
        public long valueCount() {
            return valueCount;
        }

        private void finishReplica() {
            if (currentIds != null) {
                rows.add(new Row(Arrays.copyOf(currentIds, size), Arrays.copyOf(currentValues, size)));
                currentIds = null;
                currentValues = null;
            }
        }

        public BeliefTable build() {
            finishReplica();
            int replicas = rows.size();
            // dense ids over the names these replicas use
            int[] dense = new int[names.size()];
            Arrays.fill(dense, -1);
            List<String> used = new ArrayList<>();
            for (Row row : rows) {
                for (int id : row.ids()) {
                    if (dense[id] < 0) {
                        dense[id] = used.size();
                        used.add(names.name(id));
                    }
                }
            }
            int beliefs = used.size();
            double[] values = new double[Math.multiplyExact(beliefs, Math.max(replicas, 1))];
            boolean[] inConsensus = new boolean[replicas];
            boolean[] named = new boolean[beliefs];
            for (int r = 0; r < replicas; r++) {
                int[] rIds = rows.get(r).ids();
                double[] rValues = rows.get(r).values();
                boolean member = rowInConsensus.get(r);
                inConsensus[r] = member;
                for (int i = 0; i < rIds.length; i++) {
                    int b = dense[rIds[i]];
                    values[b * replicas + r] = rValues[i];
                    named[b] |= member;
                }
            }
            return new BeliefTable(used.toArray(String[]::new), replicas, values, inConsensus, named, valueCount);
        }
    }
}
