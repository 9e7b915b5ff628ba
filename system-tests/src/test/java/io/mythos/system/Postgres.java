package io.mythos.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The PostgreSQL servers the system tests use: databases on the shared one, or a private server. */
final class Postgres {

    final String host;
    final int port;
    private final Path dataDir;

    private Postgres(String host, int port, Path dataDir) {
        this.host = host;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** The machine's server (127.0.0.1:5432, user postgres) that CI and the module tests use. */
    static Postgres shared() {
        return new Postgres("127.0.0.1", 5432, null);
    }

    /**
     * A server of our own (initdb into a temporary folder, on a free port), so that a test that stops
     * PostgreSQL can never leave the shared one down. As root, PostgreSQL refuses to run: use
     * runuser -u postgres then.
     */
    static Postgres privateServer() {
        try {
            Path dir = Files.createTempDirectory("mythos-pg-");
            int port = ServiceProcess.freePort();
            Postgres pg = new Postgres("127.0.0.1", port, dir);
            if (isRoot()) {
                run(List.of("chown", "postgres:postgres", dir.toString()));
            }
            pg.asOwner(List.of(bin("initdb"), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres",
                    "--no-sync", "-E", "UTF8"));
            pg.start();
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void start() {
        asOwner(List.of(bin("pg_ctl"), "-D", dataDir.resolve("data").toString(), "-w", "-t", "60",
                "-l", dataDir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200",
                "start"));
    }

    /** Fast shutdown: connections are cut, committed work stays (fsync on). */
    void stop() {
        asOwner(List.of(bin("pg_ctl"), "-D", dataDir.resolve("data").toString(), "-w", "-t", "60", "-m", "fast", "stop"));
    }

    void destroy() {
        if (dataDir == null) {
            return;
        }
        try {
            stop();
        } catch (RuntimeException ignored) {
            // already stopped
        }
        run(List.of("rm", "-rf", dataDir.toString()));
    }

    String jdbcUrl(String db) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + db;
    }

    String reactiveUrl(String db) {
        return "postgresql://" + host + ":" + port + "/" + db;
    }

    /** Drops and creates a database, so that every run starts from nothing. */
    void recreate(String db) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Set<String> strings(String db, String sql) {
        Set<String> out = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl(db), "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private void asOwner(List<String> cmd) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(cmd);
        run(full);
    }

    private static String bin(String tool) {
        try (var dirs = Files.list(Path.of("/usr/lib/postgresql"))) {
            return dirs.map(d -> d.resolve("bin").resolve(tool)).filter(Files::isExecutable).sorted()
                    .reduce((a, b) -> b).map(Path::toString).orElse(tool);
        } catch (IOException e) {
            return tool;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
