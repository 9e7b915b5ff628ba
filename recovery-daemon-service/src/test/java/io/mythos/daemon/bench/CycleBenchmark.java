package io.mythos.daemon.bench;

import io.mythos.platform.testing.TestKeys;
import io.mythos.platform.testing.TestTokens;
import io.mythos.platform.testing.BenchPorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of the recovery daemon (not a test; docs/benchmarks/recovery-daemon-service.md):
 * <pre>./mvnw -B -Pbench -pl recovery-daemon-service -am -DskipTests verify -Dbench.args="[zones] [beliefs] [rounds]"</pre>
 * It drops the {@code recovery} schema of database {@code mythos_bench} on the local PostgreSQL (benchmark
 * data only; created if missing), starts the packaged service ({@code -Dbench.jar}) on port 18083 with the
 * scheduler's interval at 1 h so that only the benchmark triggers cycles, and stops it at the end.
 * Each round loads ZONES zones x 5 replicas x BELIEFS beliefs (3 replicas agree, 2 are perturbed by up to
 * 0.5) through the public route, then runs full cycles through POST /system/daemon/cycle until no zone
 * needs a recovery, printing each cycle's time. All rounds but the last are a warm-up of the service's JIT.
 * Environment: BENCH_PORT, BENCH_DB, BENCH_JAVA_OPTS (extra JVM options of the service).
 */
public class CycleBenchmark {

    private static final Path SERVICE_LOG = Path.of(System.getProperty("java.io.tmpdir"), "daemon-bench-service.log");

    public static void main(String[] args) throws Exception {
        int zones = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int beliefs = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int port = Integer.parseInt(env("BENCH_PORT", "18083"));
        String db = env("BENCH_DB", "mythos_bench");
        String base = "http://localhost:" + port;

        resetDatabase(db);
        Process service = startService(port, db);
        Runtime.getRuntime().addShutdownHook(new Thread(service::destroy)); // also on Ctrl-C
        try {
            HttpClient http = HttpClient.newHttpClient();
            awaitReady(http, base, service);
            Random random = new Random(42);
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("== round %d of %d%s%n", round, rounds,
                        round < rounds ? " (warm-up: the JIT compiles the cycle's code)" : " (measured)");
                Map<String, Double> phasesBefore = phaseSeconds(http, base);
                round(http, random, base, zones, beliefs, service.pid());
                printPhases(phasesBefore, phaseSeconds(http, base));
            }
        } finally {
            stop(service);
        }
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** Creates the benchmark database if missing and drops the service's schema in it (benchmark data only). */
    private static void resetDatabase(String db) throws SQLException {
        if (!db.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("BENCH_DB must be a plain lower-case identifier: " + db);
        }
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = admin.createStatement()) {
            if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'").next()) {
                st.execute("CREATE DATABASE " + db);
            }
        }
        try (Connection bench = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + db, "postgres", "");
             Statement st = bench.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS recovery CASCADE");
        }
    }

    private static Process startService(int port, String db) throws IOException {
        String jar = System.getProperty("bench.jar", "recovery-daemon-service/target/quarkus-app/quarkus-run.jar");
        if (!new File(jar).isFile()) {
            throw new IllegalStateException(jar + " is missing: run through the Maven profile (-Pbench ... verify)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.reactive.url=postgresql://localhost:5432/" + db,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:5432/" + db,
                "-Dmythos.daemon.interval=1h",
                // the tests' key pair: the bench's requests carry an operator token signed with it
                "-Dmp.jwt.verify.publickey.location=" + TestKeys.publicKey(),
                "-Dsmallrye.jwt.sign.key.location=" + TestKeys.privateKeyFile(),
                "-Dquarkus.log.level=WARN"));
        for (String option : env("BENCH_JAVA_OPTS", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-jar", jar));
        BenchPorts.refuseBusy(port, "BENCH_PORT");
        System.out.printf("starting the service on port %d against database %s (log: %s)%n", port, db, SERVICE_LOG);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(SERVICE_LOG.toFile())).start();
    }

    private static void awaitReady(HttpClient http, String base, Process service) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                .GET().build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited at start-up; see " + SERVICE_LOG);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500); // polling a process that is starting: there is no event to wait on
        }
        throw new IllegalStateException("the service was not ready within 120 s; see " + SERVICE_LOG);
    }

    private static void stop(Process service) throws InterruptedException {
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly().waitFor();
        }
    }

    /** The service's cumulated time per recovery phase (mythos_daemon_recovery_phase_seconds_sum). */
    private static Map<String, Double> phaseSeconds(HttpClient http, String base) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^mythos_daemon_recovery_phase_seconds_sum\\{[^}]*phase=\"(\\w+)\"[^}]*} (\\S+)$")
                .matcher(metrics);
        Map<String, Double> phases = new TreeMap<>();
        while (m.find()) {
            phases.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return phases;
    }

    private static void printPhases(Map<String, Double> before, Map<String, Double> after) {
        StringBuilder line = new StringBuilder("time in the recovery transactions of the round, by phase:");
        for (String phase : List.of("read", "plan", "resync", "write")) {
            double seconds = after.getOrDefault(phase, 0.0) - before.getOrDefault(phase, 0.0);
            line.append(String.format(Locale.ROOT, " %s=%d ms", phase, Math.round(seconds * 1000)));
        }
        System.out.println(line);
    }

    /** Loads a fresh set of zones, then runs full cycles until none needs a recovery. */
    private static void round(HttpClient http, Random random, String base, int zones, int beliefs, long servicePid)
            throws Exception {
        int replicas = 5;
        String run = Long.toString(System.nanoTime(), 36);

        long loadStart = System.nanoTime();
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<HttpResponse<String>>> reports = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            double[] base64 = new double[beliefs];
            for (int b = 0; b < beliefs; b++) {
                base64[b] = 0.25 + 0.5 * random.nextDouble();
            }
            for (int r = 0; r < replicas; r++) {
                StringBuilder body = new StringBuilder("{\"assistant_id\":\"a" + r + "\",\"beliefs\":{");
                for (int b = 0; b < beliefs; b++) {
                    double v = r >= 3 ? Math.min(1, Math.max(0, base64[b] + random.nextDouble() - 0.5)) : base64[b];
                    body.append(b == 0 ? "" : ",").append("\"belief_").append(b).append("\":")
                            .append(String.format(Locale.ROOT, "%.6f", v));
                }
                body.append("}}");
                inFlight.acquire();
                reports.add(http.sendAsync(post(base + "/system/daemon/zones/bench-" + run + "-" + z + "/beliefs",
                        body.toString()), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((res, t) -> inFlight.release()));
            }
        }
        for (CompletableFuture<HttpResponse<String>> f : reports) {
            HttpResponse<String> res = f.get();
            if (res.statusCode() != 200) {
                throw new IllegalStateException("report answered " + res.statusCode() + ": " + res.body());
            }
        }
        System.out.printf(Locale.ROOT, "loaded %d zones x %d replicas x %d beliefs in %.1f s%n", zones, replicas,
                beliefs, (System.nanoTime() - loadStart) / 1e9);

        int cycle = 0;
        long worst = 0;
        while (true) {
            long start = System.nanoTime();
            long cpuStart = cpuMs(servicePid);
            HttpResponse<String> res = http.send(post(base + "/system/daemon/cycle", ""),
                    HttpResponse.BodyHandlers.ofString());
            long clientMs = (System.nanoTime() - start) / 1_000_000;
            long serviceCpuMs = cpuMs(servicePid) - cpuStart;
            if (res.statusCode() != 200) {
                throw new IllegalStateException("cycle answered " + res.statusCode() + ": " + res.body());
            }
            String s = res.body();
            long recovered = field(s, "recovered");
            long serverMs = field(s, "duration_ms");
            if (recovered == 0) {
                System.out.printf(Locale.ROOT, "check    zones_checked=%d recovered=0 server=%d ms round-trip=%d ms%n",
                        field(s, "zones_checked"), serverMs, clientMs);
                break;
            }
            cycle++;
            worst = Math.max(worst, serverMs);
            System.out.printf(Locale.ROOT,
                    "cycle %d  zones_checked=%d recovered=%d resyncs_applied=%d conflicts=%d server=%d ms round-trip=%d ms"
                    + " service-cpu=%d ms load=%s%n",
                    cycle, field(s, "zones_checked"), recovered, field(s, "resyncs_applied"), field(s, "conflicts"),
                    serverMs, clientMs, serviceCpuMs, load());
            if (cycle > 50) {
                throw new IllegalStateException("no convergence after 50 cycles");
            }
        }
        String overview = http.send(HttpRequest.newBuilder(URI.create(base + "/system/daemon"))
                .header("Authorization", TestTokens.authorization()).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"zone\":\"bench-" + run + "-\\d+\",\"status\":\"(\\w+)\"").matcher(overview);
        int converged = 0;
        int seen = 0;
        while (m.find()) {
            seen++;
            converged += m.group(1).equals("converged") ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "cycles to convergence: %d (goal <= 6); slowest full cycle: %d ms (goal <= 1000);"
                + " %d of %d zones converged%n", cycle, worst, converged, seen);
    }

    /** CPU time (user + system, all threads) the service process has used, from /proc; -1 if unknown. */
    private static long cpuMs(long pid) {
        if (pid < 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // clock ticks of 10 ms
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The 1-minute load average: the machine is shared, so figures are read against it. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", TestTokens.authorization())
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }
}
