package io.mythos.healing.bench;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signal ingestion benchmark of healing-service (not a test). Starts the packaged service
 * ({@code target/quarkus-app/quarkus-run.jar}) on port 18081 against the database {@code mythos_bench} of
 * the local PostgreSQL (created if missing), drives it on loopback with {@link LoadGenerator} (single
 * signals, then batches of 100; 10 s of warm-up with another assistant before each), checks that the
 * rows stored equal the signals answered 202, and, if {@code pgbench} is installed, runs its single-row
 * INSERT at the same concurrency before and after, for comparison.
 * <p>
 * {@code ./mvnw -B -Pbench -pl healing-service -am -DskipTests verify -Dbench.args="16 20"} (connections,
 * seconds per run). Environment: {@code BENCH_DB} (mythos_bench), {@code BENCH_PORT} (18081),
 * {@code BENCH_PG} (127.0.0.1:5432, user postgres, no password), {@code BENCH_JAVA_OPTS} (extra options for the
 * service's JVM).
 */
public final class SignalIngestBenchmark {

    private static final double WARMUP_SECONDS = 10;
    /** pgbench's table is shaped like healing.signal (same indexes, no foreign key); one row per transaction. */
    private static final String PGBENCH_SCRIPT = """
            \\set node random(0, 49)
            INSERT INTO bench.signal (node_id, assistant_id, kind, value, observed_at, detail)
            VALUES ('pgbench-node-' || :node, 'bench-assistant', 'entropy_spike', 0.42, now(), 'pgbench');
            """;

    private final int connections;
    private final int seconds;
    private final String db = env("BENCH_DB", "mythos_bench");
    private final int port = Integer.parseInt(env("BENCH_PORT", "18081"));
    private final String pg = env("BENCH_PG", "127.0.0.1:5432");
    private final String run = "bench-" + System.currentTimeMillis() / 1000;
    private final String assistant = run + "-assistant";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SignalIngestBenchmark(int connections, int seconds) {
        this.connections = connections;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the module first (the bench profile runs at verify)");
        }
        new SignalIngestBenchmark(connections, seconds).run(jar);
    }

    private void run(Path jar) throws Exception {
        createDatabaseIfMissing();
        Process service = start(jar);
        try {
            for (String a : List.of(assistant, assistant + "-warmup")) {
                send("PUT", "/assistants/" + a, "{\"name\":\"bench\",\"group\":\"bench\",\"zone\":\"bench\"}");
            }
            boolean pgbench = onPath("pgbench");
            Double tpsBefore = pgbench ? pgbench() : null;
            Map<Integer, LoadGenerator.Result> results = new LinkedHashMap<>();
            Map<Integer, Long> rows = new LinkedHashMap<>();
            LoadGenerator load = new LoadGenerator("127.0.0.1", port, connections);
            for (int batch : new int[] {1, 100}) {
                load.run(WARMUP_SECONDS, batch, assistant + "-warmup", run); // the JIT of both JVMs; rows not counted
                long before = stored();
                LoadGenerator.Result r = load.run(seconds, batch, assistant, run);
                long stored = stored() - before;
                long accepted = r.accepted() * batch;
                System.out.printf(Locale.ROOT, "== %d connections, %ds, %d signal(s) per request%n%s%n", connections, seconds, batch,
                        r.report());
                System.out.printf(Locale.ROOT, "signals with a 202: %d; rows stored meanwhile: %d %s%n", accepted, stored,
                        accepted == stored ? "(equal)" : "(MISMATCH)");
                if (accepted != stored) {
                    throw new IllegalStateException("stored rows differ from accepted signals");
                }
                results.put(batch, r);
                rows.put(batch, stored);
            }
            Double tpsAfter = pgbench ? pgbench() : null;
            // the benchmark's rows go with its assistants (ON DELETE CASCADE), so that runs do not pile up
            for (String a : List.of(assistant, assistant + "-warmup")) {
                send("DELETE", "/assistants/" + a, null);
            }
            summary(results, rows, tpsBefore, tpsAfter);
        } finally {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    private void summary(Map<Integer, LoadGenerator.Result> results, Map<Integer, Long> rows, Double tpsBefore, Double tpsAfter)
            throws IOException {
        String[] loadavg = Files.readString(Path.of("/proc/loadavg")).split(" ");
        String load = loadavg[0] + " " + loadavg[1] + " " + loadavg[2];
        Double tps = tpsBefore == null ? null : (tpsBefore + tpsAfter) / 2;
        System.out.printf(Locale.ROOT, "%n== healing-service signal ingestion vs pgbench single-row INSERT (%d connections, %ds each, "
                + "%d cores, load average %s)%n", connections, seconds, Runtime.getRuntime().availableProcessors(), load);
        System.out.printf(Locale.ROOT, "%-28s %14s %10s %10s %8s%n", "run", "signals/s", "p50 ms", "p99 ms", "ratio");
        results.forEach((batch, r) -> {
            double rate = rows.get(batch) / r.durationSeconds();
            System.out.printf(Locale.ROOT, "%-28s %14.0f %10.2f %10.2f %8s%n", "service, " + batch + " per request", rate,
                    r.p50Millis(), r.p99Millis(), tps == null ? "-" : String.format(Locale.ROOT, "%.2f", rate / tps));
        });
        if (tps == null) {
            System.out.println("(pgbench is not installed: no comparison; apt-get install -y postgresql-client)");
            return;
        }
        System.out.printf(Locale.ROOT, "%-28s %14.0f %10s %10s %8s%n", "pgbench, 1 row per tx", tps, "-", "-", "1.00");
        System.out.printf(Locale.ROOT, "(pgbench before the service runs: %.1f tps, after: %.1f tps; baseline = their mean)%n",
                tpsBefore, tpsAfter);
    }

    private Process start(Path jar) throws Exception {
        BenchPorts.refuseBusy(port, "BENCH_PORT");
        File log = File.createTempFile("healing-bench", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.reactive.url=postgresql://" + pg + "/" + db,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + pg + "/" + db,
                // no peer: the signals fire nothing, and nothing else on this machine is called
                "-Dquarkus.rest-client.load-balancer.url=http://127.0.0.1:18091",
                "-Dquarkus.rest-client.recovery-daemon.url=http://127.0.0.1:18092",
                // the tests' key pair: the bench's requests carry an operator token signed with it
                "-Dmp.jwt.verify.publickey.location=" + TestKeys.publicKey(),
                "-Dsmallrye.jwt.sign.key.location=" + TestKeys.privateKeyFile(),
                "-Dquarkus.log.level=WARN"));
        // BENCH_JAVA_OPTS: the JVM options to measure (e.g. bin/mythos' options, or C1 only); the last -Xmx wins
        for (String option : env("BENCH_JAVA_OPTS", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-jar", jar.toString()));
        Process service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        Runtime.getRuntime().addShutdownHook(new Thread(service::destroyForcibly));
        for (int i = 0; i < 240; i++) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service stopped:\n" + Files.readString(log.toPath()));
            }
            if (status("/q/health/ready") == 200) {
                return service;
            }
            Thread.sleep(500);
        }
        service.destroyForcibly();
        throw new IllegalStateException("the service did not become ready:\n" + Files.readString(log.toPath()));
    }

    private int status(String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private void send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", TestTokens.authorization())
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + pg + "/" + database, "postgres", "");
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'").next()) {
                st.execute("CREATE DATABASE " + db);
            }
        }
    }

    private long stored() throws SQLException {
        return count("SELECT count(*) FROM healing.signal WHERE assistant_id = '" + assistant + "'");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String statements) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute(statements);
        }
    }

    /**
     * pgbench on the same PostgreSQL, into a table shaped like healing.signal, at the benchmark's
     * concurrency. Run before and after the service runs, since other load on the machine varies.
     */
    private double pgbench() throws Exception {
        sql("SET client_min_messages = warning; CREATE SCHEMA IF NOT EXISTS bench; DROP TABLE IF EXISTS bench.signal;"
                + " CREATE TABLE bench.signal (LIKE healing.signal INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES"
                + " INCLUDING CONSTRAINTS)");
        Path script = Files.createTempFile("pgbench-insert", ".sql");
        Files.writeString(script, PGBENCH_SCRIPT);
        String[] hostPort = pg.split(":");
        Process p = new ProcessBuilder("pgbench", "-h", hostPort[0], "-p", hostPort[1], "-U", "postgres", "-n",
                "-c", String.valueOf(connections), "-j", "2", "-T", String.valueOf(seconds), "-f", script.toString(), db)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed (max_connections?):\n" + out);
        }
        Matcher tps = Pattern.compile("(?m)^tps = ([0-9.]+)").matcher(out);
        if (!tps.find()) {
            throw new IllegalStateException("no tps in pgbench's output:\n" + out);
        }
        long rows = count("SELECT count(*) FROM bench.signal");
        sql("DROP TABLE bench.signal; DROP SCHEMA bench");
        Files.delete(script);
        System.out.printf(Locale.ROOT, "== pgbench, %d clients, %ds: tps %s, rows in its table %d%n", connections, seconds,
                tps.group(1), rows);
        return Double.parseDouble(tps.group(1));
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
