package io.mythos.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * Points every test application at this JVM's own database ({@link TestPostgres}) and empties that
 * database before the application starts, so that each start migrates from nothing.
 *
 * <p>What it returns outranks the environment: Quarkus gives test-resource overrides the ordinal 399, above
 * environment variables (300) and the properties files, so an exported {@code QUARKUS_DATASOURCE_*} of a
 * running system cannot lead a test to that system's data. System properties (400) would outrank it, so a
 * datasource URL given as one is refused here rather than obeyed.
 *
 * <p>Flyway never cleans in a test (clean is disabled, whatever is exported): emptying is done here, over a
 * connection to the database {@link TestPostgres} made, so it cannot reach a database that tests did not create.
 */
public class TestDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private static final List<String> DATASOURCE_URLS = List.of("quarkus.datasource.reactive.url",
            "quarkus.datasource.jdbc.url", "%test.quarkus.datasource.reactive.url", "%test.quarkus.datasource.jdbc.url");

    @Override
    public Map<String, String> start() {
        for (String key : DATASOURCE_URLS) {
            if (System.getProperty(key) != null) {
                throw new IllegalStateException("-D" + key + " would send the tests to a database they did not create;"
                        + " tests use their own (an embedded server, or the server named by " + TestPostgres.URL_VARIABLE + ")");
            }
        }
        TestPostgres database = TestPostgres.database();
        database.empty();
        return Map.of(
                "quarkus.datasource.reactive.url", database.reactiveUrl(),
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.user(),
                "quarkus.datasource.password", database.password(),
                "quarkus.flyway.clean-at-start", "false",
                "quarkus.flyway.clean-disabled", "true");
    }

    @Override
    public void stop() {
        // The database outlives the application: Quarkus restarts it for each test profile, in the same JVM.
    }
}
