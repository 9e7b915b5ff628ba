package io.mythos.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The soak of issue 12 (docs/BENCHMARKS.md "Soak"): the three packaged services, started as bin/mythos starts them
 * (its JVM options), on a fresh database with every retention bound shortened to minutes and the retention job run
 * every 20 s, under a steady mixed load for {@code bench.minutes} (20): single signals and batches that open healing
 * events and so repairs (rebalances and zone recoveries through the healing service), load map writes, rebalances
 * with and without {@code Idempotency-Key} (some replayed), task claims and completions, belief reports that make
 * zones diverge (recovered by the daemon's own 5 s cycle), recoveries with and without a key, and reads of every
 * list route. An open loop: {@code bench.rate} operations per second (10) are due at fixed times whatever the answers
 * take, run by {@code bench.threads} client threads (32); a slow answer shows as a late start ("lag") and in the
 * latency, which counts from when the operation was due. Every minute it prints one line: requests done and offered,
 * 5xx (that minute and in total), transport errors, p50/p99/max latency of that minute, the resident memory of each
 * service and the size of each service's schema (tables with their indexes and TOAST), then the row counts of the
 * main tables. At the end: a verdict (5xx, and memory and database size of the last 5 minutes against the minutes
 * just after the first retention period, and against the 5 minutes before them; "flat" within 15 %) and the statuses seen per request kind. Printed, not asserted; the same
 * text lands in {@code system-tests/target/soak-bench.md}. Run with {@code bin/bench system-tests -Dbench.test=SoakBench} ({@code -Dbench.minutes=2} for a quick look).
 */
class SoakBench {

    private static final double MINUTES = Double.parseDouble(System.getProperty("bench.minutes", "20"));
    private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "10"));
    private static final int THREADS = Integer.getInteger("bench.threads", 32);
    /** Every retention bound of every service. */
    private static final Duration RETENTION = Duration.parse(System.getProperty("bench.retention", "PT2M"));
    private static final Duration RETENTION_INTERVAL = Duration.parse(System.getProperty("bench.retention-interval", "PT20S"));
    /**
     * 20 groups of 10 assistants: about 0.1 new events per group and second, so that the storm guard (more than 40 %
     * of a group's assistants with an active event that fired within 60 s) stays out of a steady load. Each group is
     * a zone too, whose first 5 assistants report beliefs.
     */
    private static final int FLEETS = 20;
    private static final int FLEET_SIZE = 10;
    private static final int REPLICAS = 5;
    private static final List<String> BELIEFS = List.of("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7");
    private static final List<String> SCHEMAS = List.of("healing", "loadbalancer", "recovery");
    /** The main tables, counted every minute (a few thousand rows each at most: cheap). */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        for (String t : List.of("healing.signal", "healing.healing_event", "healing.repair_action",
                "loadbalancer.rebalance_plan", "loadbalancer.decentralization_task", "loadbalancer.idempotency_key",
                "recovery.recovery_event", "recovery.zone_path", "recovery.replica", "recovery.escalation", "recovery.idempotency_key")) {
            TABLES.put(t.replace("loadbalancer.", "lb.").replace("recovery.", "daemon.").replace("healing.", ""), "SELECT count(*) FROM " + t);
        }
        // events that retention never deletes while they stay open, and actions the storm guard holds
        TABLES.put("open_events", "SELECT count(*) FROM healing.healing_event WHERE resolved_at IS NULL");
        TABLES.put("held_actions", "SELECT count(*) FROM healing.repair_action WHERE status = 'held'");
    }

    /** The operations and their share of the offered rate (weights out of 10). */
    private enum Op {
        SIGNAL(1), SIGNAL_BATCH(0.5), PRESSURE(1), REBALANCE_KEYED(0.5), REBALANCE(0.5), CLAIM(1), BELIEFS(2),
        RECOVER_KEYED(0.25), RECOVER(0.25), READ(3);

        final double weight;

        Op(double weight) {
            this.weight = weight;
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong nodes = new AtomicLong();
    private final AtomicReference<Minute> minute = new AtomicReference<>(new Minute());
    private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
    private final AtomicReference<String[]> lastKeyed = new AtomicReference<>();
    private final AtomicReference<String> lastPlan = new AtomicReference<>();
    private final AtomicReference<String> lastEvent = new AtomicReference<>();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong opsDone = new AtomicLong();
    private final AtomicLong fiveXx = new AtomicLong();
    private final StringBuilder out = new StringBuilder();
    private MythosSystem sys;
    private String operator;
    private String reporter;
    private String worker;
    private String viewer;

    /** What one minute saw (completions are counted in the minute they end in). */
    private static final class Minute {
        final LongAdder requests = new LongAdder();
        final LongAdder fiveXx = new LongAdder();
        final LongAdder errors = new LongAdder();
        final ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        final AtomicLong maxLagMicros = new AtomicLong();
    }

    private record Resp(int status, String body) {
    }

    /** One line per minute, kept for the verdict. */
    private record Sample(int minute, double[] rssMiB, long[] schemaBytes) {
    }

    @Test
    void soak() throws Exception {
        Map<String, String> tuning = new LinkedHashMap<>();
        String r = RETENTION.toString();
        tuning.put("MYTHOS_HTTP_RETENTION_INTERVAL", RETENTION_INTERVAL.toString());
        tuning.put("MYTHOS_HEALING_RETENTION_SIGNALS", r);
        tuning.put("MYTHOS_HEALING_RETENTION_EVENTS", r);
        tuning.put("MYTHOS_HEALING_RETENTION_IDEMPOTENCY_KEYS", r);
        tuning.put("MYTHOS_LOAD_BALANCER_RETENTION_PLANS", r);
        tuning.put("MYTHOS_LOAD_BALANCER_RETENTION_IDEMPOTENCY_KEYS", r);
        tuning.put("MYTHOS_DAEMON_RETENTION_RECORDS", r);
        tuning.put("MYTHOS_DAEMON_RETENTION_STALE_REPLICAS", r);
        tuning.put("MYTHOS_DAEMON_RETENTION_IDEMPOTENCY_KEYS", r);
        operator = SystemTokens.operator();
        reporter = SystemTokens.token("soak-reporter", 4 * 3600, "reporter");
        worker = SystemTokens.token("soak-worker", 4 * 3600, "worker");
        viewer = SystemTokens.token("soak-viewer", 4 * 3600, "viewer");
        try (MythosSystem s = MythosSystem.start(Postgres.forSuites(), "mythos_system_soak", tuning, MythosSystem::runScriptJvmOptions)) {
            sys = s;
            print(String.format("machine: %d cores, %s %s, java %s; services started with the JVM options of bin/mythos: %s (C1 only except the load balancer)",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"),
                    System.getProperty("java.version"), String.join(" ", MythosSystem.runScriptJvmOptions(MythosSystem.LOAD_BALANCER))));
            print(String.format("soak: %.0f min, open loop at %.1f operations/s on %d client threads; retention %s for every kind, job every %s; %d fleets of %d assistants (a group and a zone each)",
                    MINUTES, RATE, THREADS, r, RETENTION_INTERVAL, FLEETS, FLEET_SIZE));
            setUp();
            run();
        }
    }

    /** Registers the fleets: assistants in the healing registry, an overloaded group each, a diverged zone each. */
    private void setUp() {
        for (int f = 0; f < FLEETS; f++) {
            for (String a : fleet(f)) {
                expect(200, 201, call("setup", "PUT", healing("/assistants/" + a), operator,
                        Map.of("name", "assistant " + a, "group", group(f), "zone", zone(f)), null, System.nanoTime()));
            }
            expect(200, 200, call("setup", "POST", balancer("/system/load/pressure"), operator, overloaded(f), null, System.nanoTime()));
            for (int i = 0; i < REPLICAS; i++) {
                expect(200, 200, call("setup", "POST", daemon("/system/daemon/zones/" + zone(f) + "/beliefs"), operator,
                        Map.of("assistant_id", fleet(f).get(i), "beliefs", beliefs(i == 0)), null, System.nanoTime()));
            }
        }
    }

    private static void expect(int low, int high, Resp resp) {
        if (resp.status < low || resp.status > high) {
            throw new IllegalStateException("set-up answered " + resp.status + ": " + resp.body);
        }
    }

    private void run() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        Thread monitor = new Thread(this::monitor, "soak-monitor");
        monitor.setDaemon(true);
        long start = System.nanoTime();
        long end = start + (long) (MINUTES * 60e9);
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        monitorStart = start;
        minute.set(new Minute()); // the set-up's requests are not the load's
        monitorSamples = samples;
        print("minute | requests | operations done / offered (since the start) | 5xx min/total | errors | p50 / p99 / max ms | max lag ms | RSS healing / balancer / daemon MiB | schema healing / loadbalancer / recovery KiB | load avg");
        monitor.start();
        Random random = new Random(12);
        double total = 0;
        for (Op op : Op.values()) {
            total += op.weight;
        }
        for (long i = 0; ; i++) {
            long due = start + (long) (i * 1e9 / RATE);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            double pick = random.nextDouble() * total;
            Op chosen = Op.READ;
            for (Op op : Op.values()) {
                if (pick < op.weight) {
                    chosen = op;
                    break;
                }
                pick -= op.weight;
            }
            Op op = chosen;
            long seed = random.nextLong();
            offered.incrementAndGet();
            pool.execute(() -> {
                long lag = (System.nanoTime() - due) / 1000;
                minute.get().maxLagMicros.accumulateAndGet(lag, Math::max);
                try {
                    perform(op, new Random(seed), due);
                    opsDone.incrementAndGet();
                } catch (RuntimeException e) {
                    minute.get().errors.increment();
                    tally(op.name(), -2);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);
        // the last (partial) minute
        monitorStop = true;
        monitor.interrupt();
        monitor.join(120_000);
        verdict(samples);
    }

    private volatile long monitorStart;
    private volatile List<Sample> monitorSamples;
    private volatile boolean monitorStop;

    /** Every minute from the start: the line of the minute that just ended. */
    private void monitor() {
        for (int m = 1; ; m++) {
            long at = monitorStart + m * 60_000_000_000L;
            long wait = at - System.nanoTime();
            if (wait > 0 && !monitorStop) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    // the load ended: one last line for the partial minute
                }
            }
            Minute ended = minute.getAndSet(new Minute());
            monitorSamples.add(line(m, ended));
            if (monitorStop) {
                return;
            }
        }
    }

    private Sample line(int m, Minute ended) {
        List<Long> lat = new ArrayList<>(ended.micros);
        Collections.sort(lat);
        double[] rss = new double[3];
        List<ServiceProcess> services = List.of(sys.healing(), sys.loadBalancer(), sys.daemon());
        for (int i = 0; i < 3; i++) {
            rss[i] = services.get(i).rssMiB();
        }
        long[] bytes = new long[3];
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = sys.pg.connect(sys.db); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT n.nspname, sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm') "
                    + "AND n.nspname IN ('healing', 'loadbalancer', 'recovery') GROUP BY n.nspname")) {
                while (rs.next()) {
                    bytes[SCHEMAS.indexOf(rs.getString(1))] = rs.getLong(2);
                }
            }
            for (var t : TABLES.entrySet()) {
                try (ResultSet rs = st.executeQuery(t.getValue())) {
                    rs.next();
                    counts.put(t.getKey(), rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            print("  (database figures failed: " + e.getMessage() + ")");
        }
        long total5xx = fiveXx.get();
        print(String.format("%6d | %5d | %6d / %6d | %3d / %3d | %4d | %6.0f / %6.0f / %6.0f | %6.0f | %5.0f / %5.0f / %5.0f | %6d / %6d / %6d | %.2f",
                m, ended.requests.sum(), opsDone.get(), offered.get(), ended.fiveXx.sum(), total5xx, ended.errors.sum(),
                pct(lat, 50) / 1000.0, pct(lat, 99) / 1000.0, lat.isEmpty() ? 0 : lat.get(lat.size() - 1) / 1000.0,
                ended.maxLagMicros.get() / 1000.0, rss[0], rss[1], rss[2], bytes[0] / 1024, bytes[1] / 1024, bytes[2] / 1024,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        if (m == baselineEnd()) {
            print("       sizes KiB: " + tableSizes());
        }
        StringBuilder rows = new StringBuilder("       rows:");
        counts.forEach((t, n) -> rows.append(' ').append(t).append('=').append(n));
        print(rows.toString());
        return new Sample(m, rss, bytes);
    }

    /**
     * The last of the minutes right after the first retention period (the retention bound and one job interval, rounded
     * up, plus 3): from then on the job deletes what comes in.
     */
    private static int baselineEnd() {
        return (int) Math.ceil((RETENTION.toSeconds() + RETENTION_INTERVAL.toSeconds()) / 60.0) + 3;
    }

    /** Each table's size with its indexes and TOAST, largest first: where a schema's size goes. */
    private String tableSizes() {
        StringBuilder sb = new StringBuilder();
        try (Connection c = sys.pg.connect(sys.db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT n.nspname || '.' || c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
                     + "AND n.nspname IN ('healing', 'loadbalancer', 'recovery') ORDER BY 2 DESC")) {
            while (rs.next()) {
                sb.append(sb.length() == 0 ? "" : " ").append(rs.getString(1)).append('=').append(rs.getLong(2) / 1024);
            }
        } catch (SQLException e) {
            sb.append("(failed: ").append(e.getMessage()).append(')');
        }
        return sb.toString();
    }

    private void verdict(List<Sample> samples) {
        int to = baselineEnd();
        int from = to - 2;
        List<Sample> full = samples.stream().filter(s -> s.minute <= (int) MINUTES).toList();
        List<Sample> base = full.stream().filter(s -> s.minute >= from && s.minute <= to).toList();
        List<Sample> last = full.subList(Math.max(0, full.size() - 5), full.size());
        print(String.format("verdict: %d x 5xx in %d requests (%d of %d operations offered done); timeouts, refusals and every status per kind below",
                fiveXx.get(), done.get(), opsDone.get(), offered.get()));
        if (base.isEmpty() || last.isEmpty() || last.get(0).minute <= to) {
            print(String.format("verdict: too short to compare (baseline minutes %d-%d after retention of %s every %s)", from, to, RETENTION, RETENTION_INTERVAL));
        } else {
            compare(base, last);
            // still growing at the end? the last 5 minutes against the 5 before them
            List<Sample> before = full.subList(Math.max(0, full.size() - 10), full.size() - 5);
            if (!before.isEmpty() && before.get(0).minute > to) {
                compare(before, last);
            }
        }
        print("sizes KiB at the end: " + tableSizes());
        print("statuses per request kind (-1: timeout or refused, -2: client-side failure):");
        new TreeMap<>(statuses).forEach((label, byStatus) -> {
            StringBuilder sb = new StringBuilder("  ").append(label).append(':');
            new TreeMap<>(byStatus).forEach((st, n) -> sb.append(' ').append(st).append(" x ").append(n.sum()));
            print(sb.toString());
        });
        try (Connection c = sys.pg.connect(sys.db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT status, count(*) FROM healing.healing_event GROUP BY status ORDER BY status")) {
            StringBuilder sb = new StringBuilder("healing events left, by status:");
            while (rs.next()) {
                sb.append(' ').append(rs.getString(1)).append('=').append(rs.getLong(2));
            }
            print(sb.toString());
        } catch (SQLException e) {
            print("(events by status failed: " + e.getMessage() + ")");
        }
        for (ServiceProcess p : List.of(sys.healing(), sys.loadBalancer(), sys.daemon())) {
            try {
                print(String.format("%s log: %d ERROR lines, %d WARN lines", p.module, countIn(p.log(), " ERROR "), countIn(p.log(), " WARN ")));
            } catch (IOException e) {
                print(p.module + " log unreadable: " + e.getMessage());
            }
        }
    }

    private void compare(List<Sample> base, List<Sample> last) {
        String[] names = {"healing", "load-balancer", "daemon"};
        for (int i = 0; i < 3; i++) {
            int k = i;
            double b = base.stream().mapToDouble(s -> s.rssMiB[k]).average().orElse(0);
            double l = last.stream().mapToDouble(s -> s.rssMiB[k]).average().orElse(0);
            double bd = base.stream().mapToDouble(s -> s.schemaBytes[k]).average().orElse(0);
            double ld = last.stream().mapToDouble(s -> s.schemaBytes[k]).average().orElse(0);
            print(String.format("verdict: %-13s minutes %d-%d -> %d-%d: RSS %5.0f -> %5.0f MiB, %+5.1f %% %s; schema %6.0f -> %6.0f KiB, %+5.1f %% %s",
                    names[i], base.get(0).minute, base.get(base.size() - 1).minute, last.get(0).minute, last.get(last.size() - 1).minute,
                    b, l, 100 * (l - b) / b, flat(b, l), bd / 1024, ld / 1024, 100 * (ld - bd) / bd, flat(bd, ld)));
        }
    }

    /** Lines with the marker since the last start of the service (its log is appended to across runs). */
    private static long countIn(Path log, String marker) throws IOException {
        long n = 0;
        for (String l : Files.readAllLines(log)) {
            if (l.startsWith("=== start ")) {
                n = 0;
            } else if (l.contains(marker)) {
                n++;
            }
        }
        return n;
    }

    private static String flat(double before, double after) {
        return Math.abs(after - before) <= 0.15 * before ? "flat" : after > before ? "GROWING" : "shrinking";
    }

    // --- the operations -------------------------------------------------------------------------------------------

    private void perform(Op op, Random rnd, long due) {
        int f = rnd.nextInt(FLEETS);
        List<String> fleet = fleet(f);
        switch (op) {
            case SIGNAL -> {
                // a spike on a node never seen before: a new event, repaired by a rebalance and a zone recovery
                Resp resp = call("signal", "POST", healing("/system/health/signals"), reporter,
                        signal("soak-n" + nodes.incrementAndGet(), fleet.get(rnd.nextInt(FLEET_SIZE)), "entropy_spike", 0.9), null, due);
                rememberEvent(resp);
            }
            case SIGNAL_BATCH -> {
                // 20 signals: 16 below every threshold, one codex conflict (an event repaired by a zone
                // recovery) and three ritual failures of one new node (the third fires: spread the rituals)
                List<Object> batch = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    batch.add(signal("soak-quiet" + rnd.nextInt(500), fleet.get(rnd.nextInt(FLEET_SIZE)), "entropy_spike",
                            Math.round(rnd.nextDouble() * 50) / 100.0));
                }
                batch.add(signal("soak-n" + nodes.incrementAndGet(), fleet.get(rnd.nextInt(FLEET_SIZE)), "codex_conflict", null));
                String node = "soak-n" + nodes.incrementAndGet();
                String a = fleet.get(rnd.nextInt(FLEET_SIZE));
                for (int i = 0; i < 3; i++) {
                    batch.add(signal(node, a, "ritual_failure", null));
                }
                rememberEvent(call("signal-batch", "POST", healing("/system/health/signals"), reporter, batch, null, due));
            }
            case PRESSURE -> call("pressure", "POST", balancer("/system/load/pressure"), reporter, overloaded(f), null, due);
            case REBALANCE_KEYED -> {
                String[] previous = lastKeyed.get();
                if (previous != null && rnd.nextInt(5) == 0) {
                    // the same request again under its key: the stored plan, replayed
                    call("rebalance-replay", "POST", balancer("/system/load/rebalance"), operator, previous[1], previous[0], due);
                } else {
                    String key = "soak-" + UUID.randomUUID();
                    Map<String, Object> body = Map.of("group", group(f), "dry_run", rnd.nextInt(4) == 0);
                    Resp resp = call("rebalance-keyed", "POST", balancer("/system/load/rebalance"), operator, body, key, due);
                    lastKeyed.set(new String[] {key, write(body)});
                    rememberPlan(resp);
                }
            }
            case REBALANCE -> rememberPlan(call("rebalance", "POST", balancer("/system/load/rebalance"), operator,
                    rnd.nextBoolean() ? Map.of("group", group(f)) : Map.of("assistant_id", fleet.get(0)), null, due));
            case CLAIM -> {
                Resp resp = call("task-claim", "POST", balancer("/system/load/tasks/claim"), worker, Map.of("worker", "soak-worker"), null, due);
                if (resp.status == 200) {
                    String task = read(resp.body).path("task_id").asText();
                    boolean fail = rnd.nextInt(10) == 0;
                    call(fail ? "task-fail" : "task-complete", "POST", balancer("/system/load/tasks/" + task + (fail ? "/fail" : "/complete")),
                            worker, fail ? Map.of("worker", "soak-worker", "reason", "soak") : Map.of("worker", "soak-worker"), null, System.nanoTime());
                }
            }
            case BELIEFS -> {
                // one replica of a zone reports, far from the others one time in three: the zone diverges and the
                // daemon's cycle recovers it
                int i = rnd.nextInt(REPLICAS);
                call("beliefs", "POST", daemon("/system/daemon/zones/" + zone(f) + "/beliefs"), reporter,
                        Map.of("assistant_id", fleet.get(i), "beliefs", beliefs(rnd.nextInt(3) == 0)), null, due);
            }
            case RECOVER_KEYED -> call("recover-keyed", "POST", daemon("/system/daemon/zones/" + zone(f) + "/recover"), operator,
                    Map.of(), "soak-" + UUID.randomUUID(), due);
            case RECOVER -> call("recover", "POST", daemon("/system/daemon/zones/" + zone(f) + "/recover"), operator, Map.of(), null, due);
            case READ -> {
                List<String[]> reads = new ArrayList<>(List.of(
                        new String[] {"GET /assistants", healing("/assistants")},
                        new String[] {"GET /system/health/recovery", healing("/system/health/recovery")},
                        new String[] {"GET /system/health/recovery?status=all", healing("/system/health/recovery?status=all&limit=100")},
                        new String[] {"GET /system/health/rules", healing("/system/health/rules")},
                        new String[] {"GET /system/health/stats", healing("/system/health/stats")},
                        new String[] {"GET /system/health/silences", healing("/system/health/silences")},
                        new String[] {"GET /system/health/audit", healing("/system/health/audit")},
                        new String[] {"GET /system/health/storm", healing("/system/health/storm")},
                        new String[] {"GET /system/load", balancer("/system/load")},
                        new String[] {"GET /system/load?group=", balancer("/system/load?group=" + group(f))},
                        new String[] {"GET /system/load/plans", balancer("/system/load/plans?limit=50")},
                        new String[] {"GET /system/load/tasks", balancer("/system/load/tasks?limit=50")},
                        new String[] {"GET /system/daemon", daemon("/system/daemon")},
                        new String[] {"GET /system/daemon/zones/{z}", daemon("/system/daemon/zones/" + zone(f))},
                        new String[] {"GET /system/daemon/zones/{z}/events", daemon("/system/daemon/zones/" + zone(f) + "/events")}));
                String plan = lastPlan.get();
                if (plan != null) {
                    reads.add(new String[] {"GET /system/load/plans/{id}", balancer("/system/load/plans/" + plan)});
                }
                String event = lastEvent.get();
                if (event != null) {
                    reads.add(new String[] {"GET /system/health/recovery/{id}", healing("/system/health/recovery/" + event)});
                }
                String[] pick = reads.get(rnd.nextInt(reads.size()));
                call(pick[0], "GET", pick[1], viewer, null, null, due);
            }
        }
    }

    private void rememberEvent(Resp resp) {
        if (resp.status == 202) {
            JsonNode fired = read(resp.body).path("fired");
            if (fired.size() > 0) {
                lastEvent.set(fired.get(0).path("event_id").asText());
            }
        }
    }

    private void rememberPlan(Resp resp) {
        if (resp.status == 200) {
            lastPlan.set(read(resp.body).path("plan_id").asText());
        }
    }

    /**
     * One request; its latency counts from {@code since} (for the first request of an operation, when it was due).
     * Status -1: timeout or connection failure.
     */
    private Resp call(String label, String method, String url, String token, Object body, String idempotencyKey, long since) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : write(body)));
        }
        Resp resp;
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            resp = new Resp(r.statusCode(), r.body());
        } catch (IOException e) {
            resp = new Resp(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            resp = new Resp(-1, e.toString());
        }
        long micros = (System.nanoTime() - since) / 1000;
        Minute m = minute.get();
        m.requests.increment();
        done.incrementAndGet();
        if (resp.status < 0) {
            m.errors.increment();
        } else {
            m.micros.add(micros);
            if (resp.status >= 500) {
                m.fiveXx.increment();
                fiveXx.incrementAndGet();
                if (fiveXx.get() <= 20) {
                    print("  5xx: " + label + " " + resp.status + " " + resp.body);
                }
            }
        }
        tally(label, resp.status);
        return resp;
    }

    private void tally(String label, int status) {
        statuses.computeIfAbsent(label, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    // --- the data ---------------------------------------------------------------------------------------------------

    private static String group(int f) {
        return "soak-g" + f;
    }

    private static String zone(int f) {
        return "soak-z" + f;
    }

    private static List<String> fleet(int f) {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < FLEET_SIZE; i++) {
            a.add("soak-f" + f + "-a" + i);
        }
        return a;
    }

    /**
     * The fleet's whole load map, every codex on its first assistant (utilization 1.3, the others idle), so that
     * the next rebalance has moves to make. Fleet 0 also has a codex too heavy to move: each of its plans queues a
     * split task, which the claims take.
     */
    private static Map<String, Object> overloaded(int f) {
        // every codex on the first assistant: 13 of its capacity of 10
        List<String> fleet = fleet(f);
        List<Map<String, Object>> assistants = new ArrayList<>();
        for (String a : fleet) {
            assistants.add(Map.of("assistant_id", a, "group", group(f), "capacity", 10.0, "memory_entropy", 0.0));
        }
        List<Map<String, Object>> codices = new ArrayList<>();
        double[] pressures = {3, 3, 2, 2, 2, 1};
        for (int i = 0; i < pressures.length; i++) {
            codices.add(Map.of("codex_id", "soak-f" + f + "-c" + i, "assistant_id", fleet.get(0), "pressure", pressures[i]));
        }
        if (f == 0) {
            codices.add(Map.of("codex_id", "soak-f0-heavy", "assistant_id", fleet.get(1), "pressure", 9.0));
        }
        return Map.of("assistants", assistants, "codices", codices);
    }

    private static Map<String, Double> beliefs(boolean diverged) {
        Map<String, Double> b = new LinkedHashMap<>();
        for (int i = 0; i < BELIEFS.size(); i++) {
            b.put(BELIEFS.get(i), diverged ? (i % 2 == 0 ? 0.2 : 0.7) : (i % 2 == 0 ? 0.9 : 0.1));
        }
        return b;
    }

    private static Map<String, Object> signal(String node, String assistant, String kind, Double value) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("node_id", node);
        s.put("assistant_id", assistant);
        s.put("kind", kind);
        if (value != null) {
            s.put("value", value);
        }
        return s;
    }

    private String healing(String path) {
        return sys.healing().url() + path;
    }

    private String balancer(String path) {
        return sys.loadBalancer().url() + path;
    }

    private String daemon(String path) {
        return sys.daemon().url() + path;
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String s) {
        try {
            return json.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
        out.append(line).append('\n');
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "soak-bench.md"), out.toString(), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            // the console has it
        }
    }
}
