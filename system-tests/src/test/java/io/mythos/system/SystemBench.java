package io.mythos.system;

import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The system's figures, printed (not asserted): each service's start time and resident memory, and
 * the detection-to-repair latency (signal posted → event resolved with both actions done) over 500
 * entropy spikes across 25 groups. Run with {@code bin/bench system-tests -Dbench.rate=31,48,100} (an open loop at
 * each of those many spikes per second in turn) or {@code -Dbench.concurrency=N} (N closed-loop client threads); the figures
 * also land in {@code system-tests/target/system-bench.md}.
 */
class SystemBench {

    private static final int SPIKES = Integer.getInteger("bench.spikes", 500);
    /** Spikes of the unreported warm-up series before the measured ones, at {@code bench.warmup-rate} per second (20). */
    private static final int WARMUP = Integer.getInteger("bench.warmup", 300);
    private static final double WARMUP_RATE = Double.parseDouble(System.getProperty("bench.warmup-rate", "20"));
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 4);
    /**
     * {@code -Dbench.jfr=true}: a flight recording of each service over the measured series (started after the
     * warm-up with jcmd), written to {@code system-tests/target/jfr/<module>.jfr}.
     */
    private static final boolean JFR = Boolean.getBoolean("bench.jfr");
    /**
     * {@code -Dbench.analyze=true}: ANALYZE the database after the warm-up, the statistics a running system's
     * autovacuum has by then. On the fresh database the tables grow from nothing during the warm-up, and on a busy
     * machine autovacuum's analyze lags behind, so statements keep plans cached while the tables were a few pages.
     */
    private static final boolean ANALYZE = Boolean.getBoolean("bench.analyze");
    /**
     * {@code -Dbench.jvm=run-script}: each service with the JVM options bin/mythos starts it with (C1 only except the load
     * balancer, Serial GC, 160 MiB heap; {@link MythosSystem#runScriptJvmOptions}) instead of the suites' {@code -Xmx256m}.
     */
    private static final boolean RUN_SCRIPT_JVM = "run-script".equals(System.getProperty("bench.jvm", ""));
    /**
     * Spikes per second in an open loop, one series per rate in the order given ({@code -Dbench.rate=31,48,100});
     * 0 (the default): CONCURRENCY closed-loop client threads.
     */
    private static final double[] RATES = java.util.Arrays.stream(System.getProperty("bench.rate", "0").split(","))
            .map(String::trim).mapToDouble(Double::parseDouble).toArray();

    @Test
    void figures() throws Exception {
        // Production intervals (the daemon's own cycle included, as docs/BENCHMARKS.md measured them).
        try (MythosSystem sys = RUN_SCRIPT_JVM
                ? MythosSystem.start(Postgres.forSuites(), "mythos_system_bench", Map.of(), MythosSystem::runScriptJvmOptions)
                : MythosSystem.start(Postgres.forSuites(), "mythos_system_bench", Map.of())) {
            Api api = new Api(sys);
            StringBuilder report = new StringBuilder();
            report.append(String.format("machine: %d cores, %s, java %s; service JVMs: %s; warm-up %d spikes at %.0f/s%s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.version"),
                    RUN_SCRIPT_JVM ? "bin/mythos options" : "-Xmx256m", WARMUP, WARMUP_RATE,
                    ANALYZE ? ", then ANALYZE" : ""));

            report.append(server(sys)).append(System.lineSeparator());

            // Fleets of 3 assistants, one overloaded, each with a diverged zone: every spike has real work to do.
            int fleets = 25;
            List<String> hots = new ArrayList<>();
            for (int f = 0; f < fleets; f++) {
                String group = "bench-g" + f;
                String zone = "bench-z" + f;
                String hot = "bench-hot" + f;
                for (String a : List.of(hot, "bench-c" + f + "a", "bench-c" + f + "b")) {
                    api.registerAssistant(a, group, zone);
                }
                api.overloadedGroup(group, hot, "bench-c" + f + "a", "bench-c" + f + "b");
                api.divergedZone(zone, "bench-c" + f + "a", "bench-c" + f + "b", hot);
                hots.add(hot);
            }

            // a warm-up series, not reported: the first spikes after a start measure the JIT, not the repairs
            if (WARMUP > 0) {
                spikes(sys, api, hots, WARMUP, WARMUP_RATE, fleets, "warmup");
            }
            if (ANALYZE) {
                try (var c = sys.pg.connect(sys.db); var st = c.createStatement()) {
                    st.execute("ANALYZE");
                }
            }
            if (JFR) {
                jcmd(sys, "JFR.start name=bench settings=profile");
            }
            for (double rate : RATES) {
                report.append(spikes(sys, api, hots, SPIKES, rate, fleets, rate > 0 ? (int) rate + "ps" : CONCURRENCY + "t"));
            }
            if (JFR) {
                Files.createDirectories(Path.of("target", "jfr"));
                for (ServiceProcess p : List.of(sys.healing(), sys.loadBalancer(), sys.daemon())) {
                    jcmd(p, "JFR.stop name=bench filename=" + Path.of("target", "jfr", p.module + ".jfr").toAbsolutePath());
                }
            }

            // where the time went, by each service's own account (mean and max of its write routes)
            for (ServiceProcess p : List.of(sys.healing(), sys.loadBalancer(), sys.daemon())) {
                report.append(serverTimes(p));
            }
            for (ServiceProcess p : List.of(sys.healing(), sys.loadBalancer(), sys.daemon())) {
                report.append(String.format("%s: ready %d ms after start (first start, migrations included), "
                        + "resident %.0f MiB after the run%n", p.module, p.readyAfterMillis(), p.rssMiB()));
            }
            // A second start of each, on migrated schemas, is what a platform sees on every restart.
            for (ServiceProcess p : List.of(sys.healing(), sys.loadBalancer(), sys.daemon())) {
                p.stop();
                p.start();
                p.awaitReady(Duration.ofSeconds(60));
                report.append(String.format("%s: restart ready in %d ms, resident %.0f MiB when idle%n",
                        p.module, p.readyAfterMillis(), p.rssMiB()));
            }
            System.out.print(report);
            Files.writeString(Path.of("target", "system-bench.md"), report.toString());
        }
    }

    /**
     * One series of SPIKES entropy spikes (fresh node ids, so no cooldown carries over from an earlier
     * series) at {@code rate} per second in an open loop, or from CONCURRENCY closed-loop threads when the
     * rate is 0; waits until every event has ended and answers the printed line.
     */
    private static String spikes(MythosSystem sys, Api api, List<String> hots, int spikes, double rate, int fleets, String name)
            throws Exception {
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        CpuAccount cpuBefore = CpuAccount.take(sys);
        String series = "bench-" + name + "-node-";
        Map<String, Instant> sentAt = Collections.synchronizedMap(new LinkedHashMap<>());
        // an open loop sends one spike every 1/rate s whatever the answers take (enough client threads that
        // a slow answer never holds the next spike back); closed-loop threads send and pause 20 ms
        ExecutorService pool = Executors.newFixedThreadPool(rate > 0 ? 64 : CONCURRENCY);
        SpikeSender sender = new SpikeSender(sys.healing().url());
        List<Future<?>> sent = new ArrayList<>();
        long sendStart = System.nanoTime();
        for (int i = 0; i < spikes; i++) {
            String node = series + i;
            String hot = hots.get(i % hots.size());
            if (rate > 0) {
                long wait = sendStart + (long) (i * 1e9 / rate) - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            sent.add(pool.submit(() -> {
                Instant t = Instant.now();
                sender.spike(node, hot);
                sentAt.put(node, t);
                if (rate <= 0) {
                    ServiceProcess.pause(20); // a steady stream, not one burst
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        double achieved = spikes / ((System.nanoTime() - sendStart) / 1e9);
        pool.shutdown();
        // every earlier series has ended, so no active event at all means this one's have ended: one cheap read every
        // 200 ms while the series runs (reading each node's events each second cost the services as much as a spike)
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.activeEvents() == 0);
        String cpu = CpuAccount.take(sys).perSpike(cpuBefore, spikes);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> sentAt.keySet().stream().allMatch(n -> !"active".equals(api.events(n).get(0).get("status"))));

        // detection: signal sent → event opened; repair: event opened → resolved (both actions done)
        List<Long> total = new ArrayList<>();
        List<Long> detection = new ArrayList<>();
        List<Long> repair = new ArrayList<>();
        for (var e : sentAt.entrySet()) {
            JsonPath ev = api.event((String) api.events(e.getKey()).get(0).get("id"));
            if ("resolved".equals(ev.getString("status"))) {
                Instant opened = OffsetDateTime.parse(ev.getString("created_at")).toInstant();
                Instant done = OffsetDateTime.parse(ev.getString("resolved_at")).toInstant();
                total.add(Duration.between(e.getValue(), done).toMillis());
                detection.add(Duration.between(e.getValue(), opened).toMillis());
                repair.add(Duration.between(opened, done).toMillis());
            }
        }
        Collections.sort(total);
        Collections.sort(detection);
        Collections.sort(repair);
        return String.format("detection-to-repair over %d spikes (%d resolved; %s, %.0f spikes/s across %d groups, "
                        + "each repaired by a rebalance and a zone recovery): p50 %d ms, p90 %d ms, p99 %d ms, max %d ms"
                        + " [signal to event p99 %d ms, event to resolved p99 %d ms]"
                        + " (load average %.2f at the start, %.2f at the end)%n",
                spikes, total.size(), rate > 0 ? "open loop at " + rate + "/s" : CONCURRENCY + " client threads", achieved, fleets,
                pct(total, 50), pct(total, 90), pct(total, 99), total.get(total.size() - 1), pct(detection, 99), pct(repair, 99),
                loadAtStart, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()) + cpu;
    }

    private static void jcmd(MythosSystem sys, String command) throws Exception {
        for (ServiceProcess p : List.of(sys.healing(), sys.loadBalancer(), sys.daemon())) {
            jcmd(p, command);
        }
    }

    private static void jcmd(ServiceProcess p, String command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(p.pid())));
        cmd.addAll(List.of(command.split(" ")));
        Process jcmd = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed for " + p.module + ": " + out);
        }
    }

    /** The service's mean and max time per POST route since its start, from its Micrometer timers. */
    /**
     * The server's version and autovacuum setting: without autovacuum (some CI servers turn it off) nothing analyzes
     * the tables as they grow from nothing, and statements keep plans made while they were a few pages.
     */
    private static String server(MythosSystem sys) throws java.sql.SQLException {
        try (var c = sys.pg.connect(sys.db); var st = c.createStatement();
             var rs = st.executeQuery("SELECT current_setting('server_version'), current_setting('autovacuum')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1) + ", autovacuum " + rs.getString(2);
        }
    }

    private static String serverTimes(ServiceProcess p) {
        String metrics = io.restassured.RestAssured.given().baseUri(p.url()).get("/q/metrics").asString();
        Map<String, double[]> byUri = new java.util.TreeMap<>(); // uri -> count, sum, max
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "^http_server_requests_seconds_(count|sum|max)\\{(.*)\\} (\\S+)$", java.util.regex.Pattern.MULTILINE);
        java.util.regex.Matcher m = line.matcher(metrics);
        while (m.find()) {
            String labels = m.group(2);
            if (!labels.contains("method=\"POST\"")) {
                continue;
            }
            String uri = labels.replaceAll(".*uri=\"([^\"]*)\".*", "$1");
            double[] f = byUri.computeIfAbsent(uri, k -> new double[3]);
            double v = Double.parseDouble(m.group(3));
            switch (m.group(1)) {
                case "count" -> f[0] += v;
                case "sum" -> f[1] += v;
                default -> f[2] = Math.max(f[2], v);
            }
        }
        StringBuilder out = new StringBuilder();
        byUri.forEach((uri, f) -> out.append(String.format("%s POST %s: %.0f calls, mean %.1f ms, max %.0f ms%n",
                p.module, uri, f[0], f[0] == 0 ? 0 : 1000 * f[1] / f[0], 1000 * f[2])));
        return out.toString();
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
