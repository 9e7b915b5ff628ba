package io.mythos.platform.database;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Another test profile restarts the application: it must find the same server and database again. */
@QuarkusTest
@TestProfile(TestDatabaseAcrossProfilesTest.OtherProfile.class)
class TestDatabaseAcrossProfilesTest {

    public static class OtherProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.limits.max-body-size", "2M");
        }
    }

    @Inject
    Pool pool;

    @Test
    void aRestartedApplicationReachesTheSameDatabaseOnTheSameServer() {
        ObservedDatabase.through(pool).assertSameAsEveryApplicationOfThisJvm();
    }
}
