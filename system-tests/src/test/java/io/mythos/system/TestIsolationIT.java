package io.mythos.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 16's data-loss hazard: a user runs the tests in the shell where the running system is configured
 * ({@code QUARKUS_DATASOURCE_*} exported, as README and bin/mythos teach). The running system here is a
 * database on a server of this test's own, holding rows in the healing service's schema; a database test
 * class of the healing service then runs in a child Maven with those variables exported, and the database
 * must come out exactly as it went in: same tables, same rows.
 *
 * <p>The child runs the {@code test} phase only, so the packaged applications under target/quarkus-app
 * that the other system tests start are not rebuilt.
 */
class TestIsolationIT {

    /** Failsafe runs with the module folder as working directory; the repository root is its parent. */
    private static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();
    private static final String DATABASE = "running_system";
    private static final Pattern TESTS_RUN = Pattern.compile("Tests run: (\\d+), Failures: 0, Errors: 0");

    @Test
    void aModulesTestsLeaveTheExportedProductionDatabaseAlone() throws Exception {
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        File serverLog = target.resolve("test-isolation-postgres.log").toFile();
        try (EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(serverLog))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(serverLog)).start()) {
            String jdbcUrl = "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
            sql(server.getJdbcUrl("postgres", "postgres"), "CREATE DATABASE " + DATABASE);
            sql(jdbcUrl, "CREATE SCHEMA healing",
                    "CREATE TABLE healing.assistant_fleet (name text PRIMARY KEY)",
                    "INSERT INTO healing.assistant_fleet VALUES ('pythia'), ('sibyl'), ('oracle')");
            List<String> before = contents(jdbcUrl);

            String output = runHealingDatabaseTests(Map.of(
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + server.getPort() + "/" + DATABASE,
                    "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_DATASOURCE_PASSWORD", ""), target.resolve("test-isolation-maven.log"));

            Matcher ran = TESTS_RUN.matcher(output);
            assertTrue(ran.find() && Integer.parseInt(ran.group(1)) > 0,
                    "the healing tests must have run and passed: " + output);
            assertEquals(before, contents(jdbcUrl), "the exported database must be exactly as before the tests");
            assertTrue(before.contains("healing.assistant_fleet: oracle, pythia, sibyl"), before.toString());
        }
    }

    /** One quick class whose application migrates the healing schema at start and checks the database. */
    private static String runHealingDatabaseTests(Map<String, String> productionVariables, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of("./mvnw", "-B", "-o", "test", "-pl", "healing-service", "-am",
                "-Dtest=io/mythos/healing/**/PlatformEndpointsTest", "-Dsurefire.failIfNoSpecifiedTests=false"));
        String repository = System.getProperty("maven.repo.local"); // given on the outer command line, if at all
        if (repository != null) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        ProcessBuilder maven = new ProcessBuilder(command).directory(REPO_ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        maven.environment().putAll(productionVariables);
        Process process = maven.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the child Maven did not finish within 10 minutes; see " + log);
        }
        assertEquals(0, process.exitValue(), "the child Maven failed; see " + log);
        return Files.readString(log);
    }

    /** Every table of every schema but the system ones, with its rows in order: "schema.table: a, b". */
    private static List<String> contents(String jdbcUrl) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT schemaname || '.' || tablename FROM pg_tables "
                    + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            List<String> out = new ArrayList<>();
            for (String table : tables) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t ORDER BY 1")) {
                    while (rs.next()) {
                        rows.add(rs.getString(1).replaceAll("^\\(|\\)$", ""));
                    }
                }
                out.add(table + ": " + String.join(", ", rows));
            }
            return out;
        }
    }

    private static void sql(String jdbcUrl, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
