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
 * entropy spikes across 25 groups. Run with {@code bin/bench system-tests -Dbench.rate=100} (an open loop at
 * that many spikes per second) or {@code -Dbench.concurrency=N} (N closed-loop client threads); the figures
 * also land in {@code system-tests/target/system-bench.md}.
 */
class SystemBench {

    private static final int SPIKES = Integer.getInteger("bench.spikes", 500);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 4);
    /** Spikes per second in an open loop; 0 (the default): CONCURRENCY closed-loop client threads. */
    private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "0"));

    @Test
    void figures() throws Exception {
        // Production intervals (the daemon's own cycle included, as docs/BENCHMARKS.md measured them).
        try (MythosSystem sys = MythosSystem.start(Postgres.forSuites(), "mythos_system_bench", Map.of())) {
            Api api = new Api(sys);
            StringBuilder report = new StringBuilder();
            report.append(String.format("machine: %d cores, %s, java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.version")));

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

            double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            Map<String, Instant> sentAt = Collections.synchronizedMap(new LinkedHashMap<>());
            // bench.rate > 0: an open loop, one spike every 1/rate s whatever the answers take (enough client
            // threads that a slow answer never holds the next spike back); otherwise CONCURRENCY threads, each
            // sending and pausing 20 ms (31 spikes/s with 1 thread, 48 with 4 on this machine)
            ExecutorService pool = Executors.newFixedThreadPool(RATE > 0 ? 64 : CONCURRENCY);
            List<Future<?>> sent = new ArrayList<>();
            long sendStart = System.nanoTime();
            for (int i = 0; i < SPIKES; i++) {
                String node = "bench-node-" + i;
                String hot = hots.get(i % hots.size());
                if (RATE > 0) {
                    long due = sendStart + (long) (i * 1e9 / RATE);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                sent.add(pool.submit(() -> {
                    Instant t = Instant.now();
                    api.signal(node, hot, "entropy_spike", 0.9).then().statusCode(202);
                    sentAt.put(node, t);
                    if (RATE <= 0) {
                        ServiceProcess.pause(20); // a steady stream, not one burst
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            double rate = SPIKES / ((System.nanoTime() - sendStart) / 1e9);
            pool.shutdown();
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> sentAt.keySet().stream().allMatch(n -> !"active".equals(api.events(n).get(0).get("status"))));

            List<Long> latencies = new ArrayList<>();
            int resolved = 0;
            for (var e : sentAt.entrySet()) {
                JsonPath ev = api.event((String) api.events(e.getKey()).get(0).get("id"));
                if ("resolved".equals(ev.getString("status"))) {
                    resolved++;
                    Instant done = OffsetDateTime.parse(ev.getString("resolved_at")).toInstant();
                    latencies.add(Duration.between(e.getValue(), done).toMillis());
                }
            }
            Collections.sort(latencies);
            report.append(String.format("detection-to-repair over %d spikes (%d resolved; %s, %.0f spikes/s across %d groups, "
                            + "each repaired by a rebalance and a zone recovery): p50 %d ms, p90 %d ms, p99 %d ms, max %d ms"
                            + " (load average %.2f at the start, %.2f at the end)%n",
                    SPIKES, resolved, RATE > 0 ? "open loop at " + RATE + "/s" : CONCURRENCY + " client threads", rate, fleets,
                    pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies.get(latencies.size() - 1),
                    loadAtStart, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));

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

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
