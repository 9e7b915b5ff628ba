package io.mythos.platform.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.platform.testing.TestPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * The platform's tests run with a running system's variables exported (see the surefire configuration
 * in platform/pom.xml): the test application must still reach only its own database, and Flyway must not
 * be able to clean.
 */
@QuarkusTest
class TestDatabaseTest {

    @Inject
    Config config;

    @Inject
    Pool pool;

    @Test
    void exportedDatasourceVariablesDecideNothing() {
        String exported = System.getenv("QUARKUS_DATASOURCE_REACTIVE_URL");
        assertTrue(exported != null && exported.contains("must_not_be_used"),
                "this test proves something only with the variables of platform/pom.xml exported");
        TestPostgres own = TestPostgres.database();
        assertEquals(own.reactiveUrl(), config.getValue("quarkus.datasource.reactive.url", String.class));
        assertEquals(own.jdbcUrl(), config.getValue("quarkus.datasource.jdbc.url", String.class));
        assertEquals(own.user(), config.getValue("quarkus.datasource.username", String.class));
        assertEquals(own.name(), ObservedDatabase.through(pool).name());
    }

    @Test
    void flywayCannotCleanWhateverIsExported() {
        assertEquals("true", System.getenv("QUARKUS_FLYWAY_CLEAN_AT_START"));
        assertEquals(false, config.getValue("quarkus.flyway.clean-at-start", Boolean.class));
        assertEquals(true, config.getValue("quarkus.flyway.clean-disabled", Boolean.class));
    }

    @Test
    void theDatabaseIsOneMadeForThisJvm() {
        ObservedDatabase seen = ObservedDatabase.through(pool);
        assertTrue(seen.name().startsWith("mythos_test_"), seen.name());
        assertNotEquals("postgres", seen.name());
        seen.assertSameAsEveryApplicationOfThisJvm();
    }
}
