package io.mythos.devpostgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PostgreSQL server that {@code bin/mythos up} runs when no database is configured: zonky's embedded
 * server (binaries from a Maven artifact, so nothing but Java is needed), its data kept in a directory of
 * ours so that a restart finds the fleet again. It runs until the JVM is told to stop (SIGTERM), when
 * zonky's shutdown hook stops the server; the data stays.
 *
 * <pre>java -cp dev-postgres/target/dev-postgres.jar:dev-postgres/target/lib/* io.mythos.devpostgres.DevPostgres DATA_DIR PORT</pre>
 *
 * Prints {@value #READY} once the server accepts connections (bin/mythos waits for that line).
 */
public final class DevPostgres {

    static final String READY = "mythos-postgres: ready";

    private DevPostgres() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DevPostgres DATA_DIR PORT");
            System.exit(2);
        }
        // before zonky's first logger: only its warnings and errors reach the console
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        Path data = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(data);
        stopLeftOverServer(data);

        long began = System.nanoTime();
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                // zonky runs the server with fsync off (for tests); this one keeps a fleet, and a 2xx means stored
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(Duration.ofSeconds(120))
                .setOutputRedirector(ProcessBuilder.Redirect.INHERIT)
                .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
                .start();
        System.out.printf("%s on localhost:%d in %d ms, data in %s%n", READY, server.getPort(),
                (System.nanoTime() - began) / 1_000_000, data);
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGTERM: zonky's shutdown hook then stops the server
    }

    /**
     * A server whose JVM was killed (SIGKILL) keeps running and holds the data directory: ask it to shut
     * down (SIGTERM, PostgreSQL's smart shutdown) before starting ours on the same data.
     */
    private static void stopLeftOverServer(Path data) throws IOException, InterruptedException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return;
        }
        long pid = postmaster.get().pid();
        System.out.println("mythos-postgres: stopping the server left over from an earlier run (pid " + pid + ")");
        postmaster.get().destroy();
        try {
            postmaster.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the left-over server (pid " + pid + ") did not stop within 60 s", e);
        }
    }
}
