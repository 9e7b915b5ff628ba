package io.mythos.daemon.belief;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The daemon's definitions written the straightforward way, map by map (BeliefMath before issue 12's
 * BeliefTable): the reference the fast path is compared with (BeliefTableTest) and the "before" of the
 * report-cost benchmark (bench.ReportCostBenchmark).
 */
public final class ReferenceBeliefMath {

    private ReferenceBeliefMath() {
    }

    /** Median per belief over the replicas; a replica lacking a belief counts 0. Sorted by belief name. */
    public static Map<String, Double> consensus(Collection<Map<String, Double>> replicas) {
        TreeSet<String> names = new TreeSet<>();
        replicas.forEach(r -> names.addAll(r.keySet()));
        Map<String, Double> consensus = new LinkedHashMap<>();
        double[] values = new double[replicas.size()];
        for (String name : names) {
            int i = 0;
            for (Map<String, Double> r : replicas) {
                values[i++] = r.getOrDefault(name, 0.0);
            }
            consensus.put(name, median(values));
        }
        return consensus;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** max over the consensus' beliefs of |replica[b] - consensus[b]|; 0 for an empty consensus. */
    public static double divergence(Map<String, Double> replica, Map<String, Double> consensus) {
        double max = 0;
        for (Map.Entry<String, Double> e : consensus.entrySet()) {
            max = Math.max(max, Math.abs(replica.getOrDefault(e.getKey(), 0.0) - e.getValue()));
        }
        return max;
    }

    /** The largest replica divergence against the consensus of those same replicas. */
    public static double zoneDivergence(Collection<Map<String, Double>> replicas) {
        Map<String, Double> consensus = consensus(replicas);
        double max = 0;
        for (Map<String, Double> r : replicas) {
            max = Math.max(max, divergence(r, consensus));
        }
        return max;
    }
}
