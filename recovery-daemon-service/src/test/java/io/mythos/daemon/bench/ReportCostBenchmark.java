package io.mythos.daemon.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mythos.daemon.belief.BeliefTable;
import io.mythos.daemon.belief.RecoveryParameters;
import io.mythos.daemon.belief.ReferenceBeliefMath;
import io.mythos.daemon.belief.Replica;
import io.mythos.daemon.belief.ZoneRecovery;
import io.mythos.daemon.repository.BeliefMapText;
import io.mythos.daemon.repository.ParsedZones;
import io.mythos.daemon.repository.ReplicaRepository.ReplicaMeta;
import io.mythos.daemon.repository.ReplicaRepository.StoredZone;
import java.time.OffsetDateTime;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * What a belief report, a zone read and a recovery cost the daemon in CPU at the per-zone caps (issue 12;
 * not a test, docs/BENCHMARKS.md "A belief report's cost at the per-zone caps"):
 * <pre>bin/bench recovery-daemon-service -Dbench.class=ReportCostBenchmark [RxB ...] [rounds=N] [-Dbench.jvm=...]</pre>
 * For each zone size R replicas x B beliefs (default 50x1000 150x1000 150x10000 256x10000; every replica
 * holds all B beliefs, names {@code belief_<n>}, random confidences), it writes the replicas' belief maps
 * as the JSON text the database hands back, then times in this JVM, one thread, what the service does with
 * them once the SQL has answered:
 * <ul>
 * <li>report, cold: parse every replica into a {@link BeliefTable}, the caps check, the zone's divergence
 * (the first read of a zone by this instance, or with {@code mythos.daemon.parsed-values=0});</li>
 * <li>report, warm: the zone already in {@link ParsedZones}, one replica changed (the reporter's): parse
 * it, build the table from the parsed rows, the caps check, the zone's divergence;</li>
 * <li>zone read, cold and warm: the same, then the consensus as a map by name and every replica's
 * divergence;</li>
 * <li>recovery: parse every replica into a map, plan (consensus, divergences, realignment, resync, script
 * lines) and the outcome with every resync applied;</li>
 * <li>report before issue 12's table: every replica parsed into a map, the map-by-map consensus and
 * divergence ({@code ReferenceBeliefMath}); it must give the same divergence.</li>
 * </ul>
 * Each is warmed up, then run N times (default 7; the recovery and the "before" path at most 3 times); it prints
 * the median and the best in ms of wall time, of this thread's CPU and of the process' CPU (the latter with
 * GC and JIT threads), and the load average before and after.
 */
public class ReportCostBenchmark {

    private static final RecoveryParameters PARAMETERS = new RecoveryParameters(0.02, 0.10, 0.5, 5);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        List<String> sizes = new ArrayList<>();
        int rounds = 7;
        for (String arg : args) {
            if (arg.startsWith("rounds=")) {
                rounds = Integer.parseInt(arg.substring("rounds=".length()));
            } else if (!arg.isBlank()) {
                sizes.add(arg);
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of("50x1000", "150x1000", "150x10000", "256x10000");
        }
        System.out.printf(Locale.ROOT, "== belief report cost, %s %s, %d cores, load average %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf(Locale.ROOT, "JVM options: %s%n",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf(Locale.ROOT, "%-10s %9s  %-22s %21s %21s %21s%n", "zone", "values", "what",
                "wall ms (med/best)", "thread CPU ms", "process CPU ms");
        for (String size : sizes) {
            String[] rb = size.split("x");
            int replicas = Integer.parseInt(rb[0]);
            int beliefs = Integer.parseInt(rb[1]);
            List<String> texts = texts(replicas, beliefs, new Random(replicas * 31L + beliefs));
            String label = size;
            double after = measure(label, replicas * (long) beliefs, "report, cold", rounds, () -> report(texts));
            Warm warm = new Warm(texts, beliefs);
            double warmAfter = measure(label, replicas * (long) beliefs, "report, warm", rounds, warm::report);
            measure(label, replicas * (long) beliefs, "zone read, cold", rounds, () -> zoneRead(texts));
            measure(label, replicas * (long) beliefs, "zone read, warm", rounds, warm::read);
            measure(label, replicas * (long) beliefs, "recovery (plan+outcome)", Math.min(rounds, 3),
                    () -> recovery(texts));
            double before = measure(label, replicas * (long) beliefs, "report, before (maps)", Math.min(rounds, 3),
                    () -> reportBefore(texts));
            if (Double.compare(before, after) != 0 || Double.compare(warm.reference(), warmAfter) != 0) {
                throw new IllegalStateException(size + ": the table's divergence " + after + " is not the maps' " + before);
            }
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
    }

    /** R belief maps of B beliefs each as the JSON text of their json column. */
    static List<String> texts(int replicas, int beliefs, Random random) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<String> texts = new ArrayList<>(replicas);
        for (int r = 0; r < replicas; r++) {
            Map<String, Double> map = new LinkedHashMap<>();
            for (int b = 0; b < beliefs; b++) {
                map.put("belief_" + b, random.nextDouble());
            }
            texts.add(mapper.writeValueAsString(map));
        }
        return texts;
    }

    /**
     * A zone in this instance's {@link ParsedZones}: each report changes one replica (the next one, to new
     * random confidences), and only its text is parsed again, as the service does once it has read the zone.
     */
    static final class Warm {
        private final List<String> texts;
        private final List<ReplicaMeta> meta = new ArrayList<>();
        private final ParsedZones cache = new ParsedZones(Long.MAX_VALUE);
        private final Random random = new Random(1);
        private final ObjectMapper mapper = new ObjectMapper();
        private final int beliefs;
        private int next;

        Warm(List<String> texts, int beliefs) {
            this.texts = new ArrayList<>(texts);
            this.beliefs = beliefs;
            List<ParsedZones.Read> reads = new ArrayList<>();
            for (int r = 0; r < texts.size(); r++) {
                meta.add(new ReplicaMeta("a" + r, 1, OffsetDateTime.now(), true));
                reads.add(new ParsedZones.Read(meta.get(r), 1, texts.get(r)));
            }
            ParsedZones.Zone zone = cache.zone("z");
            zone.update(reads, zone.snapshot());
        }

        double report() {
            int r = next++ % texts.size();
            Map<String, Double> map = new LinkedHashMap<>();
            for (int b = 0; b < beliefs; b++) {
                map.put("belief_" + b, random.nextDouble());
            }
            try {
                texts.set(r, mapper.writeValueAsString(map));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            ReplicaMeta m = meta.get(r);
            meta.set(r, new ReplicaMeta(m.assistantId(), m.version() + 1, m.reportedAt(), true));
            BeliefTable table = read(r);
            if (table.replicaCount() > 256 || table.beliefCount() > 10_000) {
                throw new IllegalStateException("above the caps");
            }
            return table.zoneDivergence();
        }

        double read() {
            BeliefTable table = read(-1);
            return table.consensus().size() + table.divergences()[0];
        }

        /** What the service does with the query's answer: only replica {@code changed} sent as text. */
        private BeliefTable read(int changed) {
            ParsedZones.Zone zone = cache.zone("z");
            Map<String, ParsedZones.Parsed> known = zone.snapshot();
            List<ParsedZones.Read> reads = new ArrayList<>(meta.size());
            for (int r = 0; r < meta.size(); r++) {
                reads.add(new ParsedZones.Read(meta.get(r), 1, r == changed ? texts.get(r) : null));
            }
            StoredZone stored = zone.update(reads, known);
            cache.updated("z", zone, stored.beliefs().beliefCount());
            return stored.beliefs();
        }

        /** The zone as it now stands, the map-by-map way. */
        double reference() {
            return reportBefore(texts);
        }
    }

    static double report(List<String> texts) {
        BeliefTable table = parse(texts);
        if (table.replicaCount() > 256 || table.beliefCount() > 10_000) {
            throw new IllegalStateException("above the caps");
        }
        return table.zoneDivergence();
    }

    static double zoneRead(List<String> texts) {
        BeliefTable table = parse(texts);
        Map<String, Double> consensus = table.consensus();
        return consensus.size() + table.divergences()[0];
    }

    static double recovery(List<String> texts) {
        List<Replica> replicas = new ArrayList<>(texts.size());
        for (int r = 0; r < texts.size(); r++) {
            replicas.add(new Replica("a" + r, 1, BeliefMapText.read(texts.get(r))));
        }
        ZoneRecovery.Plan plan = ZoneRecovery.plan(replicas, PARAMETERS);
        Set<String> applied = new HashSet<>();
        plan.moves().forEach(m -> applied.add(m.replica().assistantId()));
        return plan.outcome(applied).zoneDivergenceAfter();
    }

    static double reportBefore(List<String> texts) {
        List<Map<String, Double>> maps = new ArrayList<>(texts.size());
        texts.forEach(t -> maps.add(BeliefMapText.read(t)));
        return ReferenceBeliefMath.zoneDivergence(maps);
    }

    private static BeliefTable parse(List<String> texts) {
        BeliefTable.Builder table = new BeliefTable.Builder();
        for (String text : texts) {
            BeliefMapText.readInto(text, table, true);
        }
        return table.build();
    }

    /** Warm-up (as many runs as the rounds, at most 5), then the rounds; prints a line; answers the result. */
    private static double measure(String size, long values, String what, int rounds, DoubleSupplier work) {
        double result = 0;
        for (int i = 0; i < Math.min(rounds, 5); i++) {
            result = work.getAsDouble();
        }
        long[] wall = new long[rounds];
        long[] thread = new long[rounds];
        long[] process = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long w = System.nanoTime();
            long t = THREADS.getCurrentThreadCpuTime();
            long p = OS.getProcessCpuTime();
            result = work.getAsDouble();
            wall[i] = System.nanoTime() - w;
            thread[i] = THREADS.getCurrentThreadCpuTime() - t;
            process[i] = OS.getProcessCpuTime() - p;
        }
        System.out.printf(Locale.ROOT, "%-10s %9d  %-22s %21s %21s %21s%n", size, values, what,
                medBest(wall), medBest(thread), medBest(process));
        return result;
    }

    private static String medBest(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%.1f / %.1f", s[s.length / 2] / 1e6, s[0] / 1e6);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f", OS.getSystemLoadAverage());
        }
    }
}
