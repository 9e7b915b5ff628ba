package io.mythos.platform.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server that the tests of this JVM use, and the one database they keep their data in.
 *
 * <p>By default an embedded server (zonky: the binaries come as a Maven artifact, so a test run needs only
 * Java), started on first use; zonky's shutdown hook stops it and deletes its data when the JVM exits.
 * {@value #URL_VARIABLE} (a JDBC URL of a server, e.g. {@code jdbc:postgresql://db:5432/postgres}) with
 * {@value #USER_VARIABLE} and {@value #PASSWORD_VARIABLE} names an external server instead: a database of
 * a random name is created there and dropped when the JVM exits. {@code QUARKUS_DATASOURCE_*} decides nothing.
 *
 * <p>Quarkus loads a test application and its test-jar classes anew at each restart (one per test profile),
 * so a static field would not outlive the first restart: the coordinates of the server and of the database
 * are kept in system properties, which the whole JVM shares.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "MYTHOS_TEST_PG_URL";
    public static final String USER_VARIABLE = "MYTHOS_TEST_PG_USER";
    public static final String PASSWORD_VARIABLE = "MYTHOS_TEST_PG_PASSWORD";

    /** host:port, database, user and password of this JVM's test database, once made. */
    private static final String SERVER_PROPERTY = "mythos.test.pg.server";
    private static final String DATABASE_PROPERTY = "mythos.test.pg.database";
    private static final String USER_PROPERTY = "mythos.test.pg.user";
    private static final String PASSWORD_PROPERTY = "mythos.test.pg.password";

    private static final System.Logger LOG = System.getLogger(TestPostgres.class.getName());
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^/?]+)(/[^/?]*)?");

    private final String server;
    private final String database;
    private final String user;
    private final String password;

    private TestPostgres(String server, String database, String user, String password) {
        this.server = server;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    /** This JVM's test database: made on the first call, the same one on every later call. */
    public static TestPostgres database() {
        synchronized (System.getProperties()) { // the lock that every class loader's copy of this class shares
            if (System.getProperty(DATABASE_PROPERTY) == null) {
                create(System.getenv());
            }
            return new TestPostgres(System.getProperty(SERVER_PROPERTY), System.getProperty(DATABASE_PROPERTY),
                    System.getProperty(USER_PROPERTY), System.getProperty(PASSWORD_PROPERTY));
        }
    }

    private static void create(Map<String, String> env) {
        String external = env.get(URL_VARIABLE);
        String server;
        String maintenanceUrl;
        String user;
        String password;
        boolean dropAtExit;
        if (external == null || external.isBlank()) {
            EmbeddedPostgres embedded = startEmbedded();
            server = "localhost:" + embedded.getPort();
            maintenanceUrl = "jdbc:postgresql://" + server + "/postgres";
            user = "postgres";
            password = "";
            dropAtExit = false; // the whole server goes, with its data directory
        } else {
            Matcher url = JDBC_URL.matcher(external.trim());
            if (!url.matches()) {
                throw new IllegalStateException(URL_VARIABLE + " must be the JDBC URL of a server and of the database "
                        + "to connect to, without options (jdbc:postgresql://host:5432/postgres), not " + external);
            }
            server = url.group(1);
            maintenanceUrl = external.trim();
            user = env.getOrDefault(USER_VARIABLE, "postgres");
            password = env.getOrDefault(PASSWORD_VARIABLE, "");
            dropAtExit = true;
        }
        String database = "mythos_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(maintenanceUrl, user, password, "CREATE DATABASE " + database);
        LOG.log(System.Logger.Level.INFO, "test database {0} on {1}", database, server);
        if (dropAtExit) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(maintenanceUrl, user, password, database),
                    "drop-" + database));
        }
        System.setProperty(SERVER_PROPERTY, server);
        System.setProperty(USER_PROPERTY, user);
        System.setProperty(PASSWORD_PROPERTY, password);
        System.setProperty(DATABASE_PROPERTY, database);
    }

    private static EmbeddedPostgres startEmbedded() {
        // the server's own output goes to a file, not into the test log
        File log = new File(new File("target").isDirectory() ? "target" : System.getProperty("java.io.tmpdir"),
                "test-postgres.log");
        long began = System.nanoTime();
        try {
            // fsync off (zonky's default) suits throw-away data; the wait is long for a loaded two-core machine
            EmbeddedPostgres server = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log)).start();
            LOG.log(System.Logger.Level.INFO, "embedded PostgreSQL for the tests on port {0}, started in {1} ms (log: {2})",
                    String.valueOf(server.getPort()), String.valueOf((System.nanoTime() - began) / 1_000_000), log);
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL server for the tests", e);
        }
    }

    private static void drop(String maintenanceUrl, String user, String password, String database) {
        try {
            execute(maintenanceUrl, user, password,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'",
                    "DROP DATABASE IF EXISTS " + database);
        } catch (RuntimeException e) {
            System.err.println("could not drop the test database " + database + ": " + e.getMessage());
        }
    }

    private static void execute(String jdbcUrl, String user, String password, String... statements) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return database;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + server + "/" + database;
    }

    public String reactiveUrl() {
        return "postgresql://" + server + "/" + database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /**
     * Drops every schema of this database (the migrations then start from nothing), over a connection
     * of its own to the database made here: what it empties can never be another database.
     */
    public void empty() {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user, password)) {
            List<String> schemas = new ArrayList<>();
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'");
                 ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    schemas.add(rs.getString(1));
                }
            }
            try (Statement s = c.createStatement()) {
                for (String schema : schemas) {
                    s.execute("DROP SCHEMA \"" + schema.replace("\"", "\"\"") + "\" CASCADE");
                }
                s.execute("CREATE SCHEMA IF NOT EXISTS public");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty the test database " + database + ": " + e.getMessage(), e);
        }
    }
}
