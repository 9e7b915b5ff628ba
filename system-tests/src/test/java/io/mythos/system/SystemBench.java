package io.mythos.system;

import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
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
 * entropy spikes. Run with {@code ./mvnw -B verify -pl system-tests -am -Psystem-bench -DskipTests};
 * the figures also land in {@code system-tests/target/system-bench.md}.
 */
class SystemBench {

    private static final int SPIKES = Integer.getInteger("bench.spikes", 500);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 4);

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

            Map<String, Instant> sentAt = Collections.synchronizedMap(new LinkedHashMap<>());
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
            List<Future<?>> sent = new ArrayList<>();
            long sendStart = System.nanoTime();
            for (int i = 0; i < SPIKES; i++) {
                String node = "bench-node-" + i;
                String hot = hots.get(i % hots.size());
                sent.add(pool.submit(() -> {
                    Instant t = Instant.now();
                    api.signal(node, hot, "entropy_spike", 0.9).then().statusCode(202);
                    sentAt.put(node, t);
                    ServiceProcess.pause(20); // a steady stream, not one burst
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
            report.append(String.format("detection-to-repair over %d spikes (%d resolved; %d client threads, %.0f spikes/s, "
                            + "each repaired by a rebalance and a zone recovery): p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
                    SPIKES, resolved, CONCURRENCY, rate, pct(latencies, 50), pct(latencies, 90), pct(latencies, 99),
                    latencies.get(latencies.size() - 1)));

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
