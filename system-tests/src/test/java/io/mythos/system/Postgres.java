package io.mythos.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The PostgreSQL servers of the system tests. By default embedded servers that the suite starts
 * itself (the binaries come from a Maven artifact, so the suite needs only Java). An external server
 * is used only when the test-only variable {@code MYTHOS_TEST_PG_URL} names one
 * ({@code jdbc:postgresql://host[:port]/database}, with {@code MYTHOS_TEST_PG_USER} and
 * {@code MYTHOS_TEST_PG_PASSWORD}); the {@code QUARKUS_DATASOURCE_*} variables of a configured
 * system are never read, so a test run cannot reach its data. On either server the suites only
 * create and drop databases of their own ({@code mythos_system_*}).
 */
final class Postgres {

    private static final String EXTERNAL_URL = "MYTHOS_TEST_PG_URL";

    private static Postgres forSuites;

    final String host;
    final int port;
    final String user;
    final String password;
    /** The database to connect to for creating and dropping the suites' own. */
    private final String adminDb;
    /** Embedded only: where the cluster lives, kept across a stop and a start when restartable. */
    private final Path dataDir;
    private final boolean restartable;
    private final Path log;
    private EmbeddedPostgres server;

    private Postgres(String host, int port, String user, String password, String adminDb, Path dataDir,
                     boolean restartable, Path log) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.adminDb = adminDb;
        this.dataDir = dataDir;
        this.restartable = restartable;
        this.log = log;
    }

    /**
     * The server of the ordinary suites, one per test JVM: the external one if named, else an embedded
     * server started on first use and stopped (its data deleted) when the JVM exits.
     */
    static synchronized Postgres forSuites() {
        if (forSuites == null) {
            String url = System.getenv(EXTERNAL_URL);
            if (url != null && !url.isBlank()) {
                forSuites = external(url, System.getenv("MYTHOS_TEST_PG_USER"), System.getenv("MYTHOS_TEST_PG_PASSWORD"));
            } else {
                // the library stops it and deletes its data directory when the JVM exits
                forSuites = embedded("suites", false);
                forSuites.start();
            }
        }
        return forSuites;
    }

    /**
     * An embedded server of the caller's own, whatever is configured, so that a test that stops
     * PostgreSQL never stops one that others use. {@link #stop()} and {@link #start()} keep its data
     * directory and port; {@link #destroy()} removes it.
     */
    static Postgres privateServer() {
        Postgres pg = embedded("private", true);
        pg.start();
        return pg;
    }

    /** A server on a free port, its cluster in a temporary folder, its log with the services' logs. */
    private static Postgres embedded(String name, boolean restartable) {
        try {
            Path dir = Files.createTempDirectory("mythos-pg-" + name + "-");
            Path log = Path.of("target", "system-logs", "postgres-" + name + ".log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            // Trust authentication for the superuser postgres, as the library's initdb sets it up.
            return new Postgres("127.0.0.1", ServiceProcess.freePort(), "postgres", "", "postgres", dir, restartable, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Postgres external(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(EXTERNAL_URL + " must look like jdbc:postgresql://host[:port]/database, got " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        return new Postgres(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                user == null || user.isBlank() ? "postgres" : user, password == null ? "" : password, db, null, false, null);
    }

    /** Starts the embedded server (on a later call: again, on the same data directory and port). */
    synchronized void start() {
        requireEmbedded();
        try {
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    // kept when restartable, so that a start finds the cluster that the stop left
                    .setCleanDataDirectory(!restartable)
                    .setPort(port)
                    // Durable commits as on a production server (the library's defaults turn both off):
                    // a 2xx of the services means the data survives a restart, and timings are honest.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDir + "; see " + log, e);
        }
    }

    /** Fast shutdown: connections are cut, committed work stays. */
    synchronized void stop() {
        requireEmbedded();
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                server = null;
            }
        }
    }

    /** Stops an embedded server and deletes its cluster; an external server is left alone. */
    void destroy() {
        if (dataDir == null) {
            return;
        }
        stop();
        if (!restartable) {
            return; // the library deleted it
        }
        try (Stream<Path> tree = Files.walk(dataDir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    String reactiveUrl(String db) {
        return "postgresql://" + host + ":" + port + "/" + db;
    }

    Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(db), user, password);
    }

    /** Drops and creates one of the suites' databases, so that every run starts from nothing. */
    void recreate(String db) {
        if (!db.startsWith("mythos_system_")) {
            throw new IllegalArgumentException("the system tests only manage databases named mythos_system_*: " + db);
        }
        try (Connection c = connect(adminDb); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Set<String> strings(String db, String sql) {
        Set<String> out = new HashSet<>();
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    long count(String db, String sql) {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void requireEmbedded() {
        if (dataDir == null) {
            throw new IllegalStateException("an external server is never started or stopped by the tests");
        }
    }
}
