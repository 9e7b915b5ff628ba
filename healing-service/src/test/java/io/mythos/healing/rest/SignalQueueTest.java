package io.mythos.healing.rest;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.signalsOf;
import static io.mythos.healing.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.healing.support.Fixtures;
import io.mythos.platform.testing.TestPostgres;
import io.mythos.platform.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Limits and isolation": the signal queue is bounded. With one insert transaction at a time
 * (held up by a lock on the signal table) and room for 5 queued signals, a request that does not fit
 * is a 503 problem+json with Retry-After, and nothing of it is stored; the requests already accepted
 * are stored once the lock is released.
 */
@QuarkusTest
@TestProfile(SignalQueueTest.SmallQueue.class)
class SignalQueueTest {

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mythos.healing.ingest.max-batches-in-flight", "1",
                    "mythos.healing.ingest.max-queued-signals", "5",
                    "mythos.http.database.lock-timeout", "PT60S");
        }
    }

    @TestHTTPResource("/system/health/signals")
    URL signals;
    @Inject
    Pool pool;

    private CompletableFuture<HttpResponse<String>> postAsync(HttpClient client, String body) throws Exception {
        return client.sendAsync(HttpRequest.newBuilder(signals.toURI()).header("Content-Type", "application/json")
                .header("Authorization", TestTokens.authorization()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String many(String node, String a, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(signal(node, a, "symbolic_error", null, null));
        }
        return sb.append(']').toString();
    }

    private static double queued() {
        String metrics = given().get("/q/metrics").then().extract().asString();
        return metrics.lines().filter(l -> l.startsWith("mythos_healing_signals_queued"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    @Test
    void aFullQueueAnswers503AndStoresNothingOfThatRequest() throws Exception {
        String a = assistant();
        String inFlight = unique("node");
        String waiting = unique("node");
        String refused = unique("node");
        TestPostgres db = TestPostgres.database();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> first;
        CompletableFuture<HttpResponse<String>> second;
        try (Connection holder = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("LOCK TABLE healing.signal IN SHARE MODE"); // inserts wait for it
            first = postAsync(client, signal(inFlight, a, "symbolic_error", null, null));
            Fixtures.await("the first batch to be under way", Duration.ofSeconds(30), () -> queued() == 0
                    && Fixtures.count(pool, "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'healing.signal'::regclass") > 0);
            second = postAsync(client, many(waiting, a, 5));
            Fixtures.await("5 signals to be queued", Duration.ofSeconds(30), () -> queued() == 5);

            given().contentType(ContentType.JSON).body(signal(refused, a, "symbolic_error", null, null))
                    .post("/system/health/signals").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("status", equalTo(503))
                    .body("detail", containsString("queue is full"));
            holder.rollback();
        }
        assertEquals(202, first.get().statusCode(), first.get().body());
        assertEquals(202, second.get().statusCode(), second.get().body());
        assertEquals(1, signalsOf(pool, inFlight));
        assertEquals(5, signalsOf(pool, waiting));
        assertEquals(0, signalsOf(pool, refused), "nothing of the refused request is stored");
        // room again: the same request is accepted now
        given().contentType(ContentType.JSON).body(signal(refused, a, "symbolic_error", null, null))
                .post("/system/health/signals").then().statusCode(202);
        assertEquals(1, signalsOf(pool, refused));
    }
}
