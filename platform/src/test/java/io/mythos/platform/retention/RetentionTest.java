package io.mythos.platform.retention;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.platform.testing.TestPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform's retention job on a real database: it deletes exactly the rows older than the bound (and
 * only those its condition allows), in batches (the test profile's batch size is 7), one instance at a
 * time, and counts what it did in mythos_retention_* metrics.
 */
@QuarkusTest
class RetentionTest {

    @Inject
    Retention retention;
    @Inject
    Pool pool;

    private static Connection jdbc() throws Exception {
        TestPostgres db = TestPostgres.database();
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    private long count(String where) {
        return pool.query("SELECT count(*) FROM " + ProbeRetentionPlan.TABLE + " WHERE " + where).execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    @BeforeEach
    void rows() {
        pool.query("CREATE TABLE IF NOT EXISTS " + ProbeRetentionPlan.TABLE
                + " (id int, created_at timestamptz NOT NULL, keep boolean NOT NULL DEFAULT false)").execute()
                .flatMap(x -> pool.query("TRUNCATE " + ProbeRetentionPlan.TABLE).execute())
                // 40 rows just past the bound (more than five batches of 7), 30 just within it, 5 old ones kept
                .flatMap(x -> pool.query("INSERT INTO " + ProbeRetentionPlan.TABLE + " (id, created_at, keep) "
                        + "SELECT i, now() - interval '1 hour 1 minute', false FROM generate_series(1, 40) i "
                        + "UNION ALL SELECT 100 + i, now() - interval '59 minutes', false FROM generate_series(1, 30) i "
                        + "UNION ALL SELECT 200 + i, now() - interval '3 hours', true FROM generate_series(1, 5) i").execute())
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void deletesExactlyWhatIsOlderThanItsBoundInBatches() {
        Map<String, Long> purged = retention.purge().await().atMost(Duration.ofSeconds(30));

        assertEquals(40L, purged.get("probe-rows"));
        assertEquals(0, count("id <= 40"), "rows older than the bound are gone");
        assertEquals(30, count("id > 100 AND id <= 130"), "rows within the bound stay");
        assertEquals(5, count("keep"), "rows the condition keeps stay, however old");
        // a second run finds nothing more
        assertEquals(0L, retention.purge().await().atMost(Duration.ofSeconds(30)).get("probe-rows"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("mythos_retention_deleted_total{what=\"probe-rows\"}"))
                .body(containsString("mythos_retention_runs_total{outcome=\"purged\"}"))
                .body(containsString("mythos_retention_last_success_seconds"));
    }

    @Test
    void oneInstanceAtATime() throws Exception {
        try (Connection other = jdbc(); Statement s = other.createStatement()) {
            // another instance is purging: it holds the service's lock
            s.execute("SELECT pg_advisory_lock(" + Retention.lockKey("probe") + ")");
            assertTrue(retention.purge().await().atMost(Duration.ofSeconds(30)).isEmpty());
            assertEquals(40, count("id <= 40"), "nothing deleted while another instance holds the lock");
            s.execute("SELECT pg_advisory_unlock(" + Retention.lockKey("probe") + ")");
        }
        assertEquals(40L, retention.purge().await().atMost(Duration.ofSeconds(30)).get("probe-rows"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("mythos_retention_runs_total{outcome=\"skipped\"}"));
    }
}
