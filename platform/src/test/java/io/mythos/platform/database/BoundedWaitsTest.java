package io.mythos.platform.database;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.mythos.platform.testing.TestPostgres;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every database wait is bounded (DESIGN.md "Limits and isolation"): a lock held elsewhere, a statement
 * that runs too long and an exhausted pool each end in a 503 problem+json with Retry-After, not a hang.
 * The test profile shortens the bounds (platform/src/test/resources/application.properties).
 */
@QuarkusTest
class BoundedWaitsTest {

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int poolSize;

    private static Connection jdbc() throws Exception {
        TestPostgres db = TestPostgres.database();
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    @Test
    void aLockHeldElsewhereEndsIn503AfterTheLockTimeout() throws Exception {
        try (Connection holder = jdbc(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("SELECT pg_advisory_xact_lock(4242)");
            // answered while the lock is still held: the wait ended at its bound, not when the lock was freed
            given().post("/test/waits/lock/4242").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("status", equalTo(503))
                    .body("detail", containsString("retry"));
            holder.rollback();
        }
        // the lock is free again: the same route succeeds
        given().post("/test/waits/lock/4242").then().statusCode(200).body("locked", equalTo(true));
    }

    @Test
    void aStatementPastItsTimeoutEndsIn503() {
        given().post("/test/waits/sleep/5").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", notNullValue());
        given().post("/test/waits/sleep/0").then().statusCode(200).body("slept", equalTo(true));
    }

    @Test
    void anExhaustedPoolEndsIn503AfterTheAcquireTimeout() {
        List<SqlConnection> taken = new ArrayList<>();
        try {
            for (int i = 0; i < poolSize; i++) {
                taken.add(pool.getConnection().await().atMost(Duration.ofSeconds(10)));
            }
            given().post("/test/waits/sleep/0").then().statusCode(503)
                    .contentType("application/problem+json").header("Retry-After", notNullValue());
        } finally {
            taken.forEach(c -> c.close().await().atMost(Duration.ofSeconds(10)));
        }
        given().post("/test/waits/sleep/0").then().statusCode(200);
    }
}
