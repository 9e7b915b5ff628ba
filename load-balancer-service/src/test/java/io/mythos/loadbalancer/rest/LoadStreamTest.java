package io.mythos.loadbalancer.rest;

import io.mythos.platform.testing.TestTokens;

import static io.mythos.loadbalancer.rest.Problems.assertUtc;
import static io.mythos.loadbalancer.rest.Problems.notFound;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.loadbalancer.service.BalancerMetrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * GET /system/load/stream: exactly one event per change of the map, carrying the whole map's metrics
 * after it; a refused or read-only request sends none; a closed connection frees its subscription.
 */
@QuarkusTest
class LoadStreamTest {

    @TestHTTPResource("/system/load/stream")
    URI stream;

    @Inject
    BalancerMetrics metrics;

    private static double totalPressure() {
        return given().when().get("/system/load").then().statusCode(200).extract().jsonPath().getDouble("metrics.total_pressure");
    }

    /** The next event's data; the wait is only an upper bound (events come within milliseconds). */
    private static JsonObject next(BlockingQueue<String> events) throws InterruptedException {
        String data = events.poll(30, TimeUnit.SECONDS);
        assertNotNull(data, "no event within 30 s");
        return new JsonObject(data);
    }

    @Test
    void oneEventPerChangeCarryingTheMetricsAfterIt() throws Exception {
        int before = metrics.openStreams();
        HttpResponse<InputStream> res = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(stream).header("Accept", "text/event-stream")
                        .header("Authorization", TestTokens.authorization()).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (Stream<String> lines = new BufferedReader(new InputStreamReader(res.body())).lines()) {
                lines.filter(l -> l.startsWith("data:")).forEach(l -> events.add(l.substring(5).trim()));
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> metrics.openStreams() > before);

        // Nothing else writes to the map while this test runs, so each event's total pressure tells
        // which change it follows.
        double base = totalPressure();
        Maps m = new Maps().assistant("a", "g", 10, 0).assistant("b", "g", 10, 0).codex("c1", "a", 1).codex("c2", "a", 2).post();
        given().contentType(ContentType.JSON).body(Map.of("codices", List.of(
                Map.of("codex_id", m.id("c3"), "assistant_id", m.id("b"), "pressure", 4.0))))
                .post("/system/load/pressure").then().statusCode(200);
        given().when().delete("/system/load/codices/" + m.id("c3")).then().statusCode(204);
        given().when().delete("/system/load/codices/" + m.id("c3")).then().spec(notFound()); // refused: no event
        given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"), "dry_run", true))
                .post("/system/load/rebalance").then().statusCode(200).body("applied", is(false));
        given().contentType(ContentType.JSON).body(Map.of("group", m.id("g")))
                .post("/system/load/rebalance").then().statusCode(200)
                .body("redistribution.codex_id", equalTo(List.of(m.id("c1"))));
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200); // a read: no event
        given().contentType(ContentType.JSON).body(Map.of("codices", List.of(
                Map.of("codex_id", m.id("c4"), "assistant_id", m.id("b"), "pressure", 8.0))))
                .post("/system/load/pressure").then().statusCode(200);

        // upsert 3, upsert 7, delete 3, applied rebalance 3 (moves keep the total), then the last upsert 11:
        // had any request sent no event or two, the last one would not be the fifth
        double[] expected = {3, 7, 3, 3, 11};
        for (double total : expected) {
            JsonObject event = next(events);
            JsonObject eventMetrics = event.getJsonObject("metrics");
            assertEquals(Set.of("total_pressure", "mean_utilization", "max_utilization", "imbalance", "lower_bound"),
                    eventMetrics.fieldNames(), event.encode());
            assertEquals(base + total, eventMetrics.getDouble("total_pressure"), 1e-6, event.encode());
            assertUtc(event.getString("generated_at"));
        }

        res.body().close();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            // a change makes the server write to the closed connection and notice it
            given().contentType(ContentType.JSON).body(new Maps().assistant("y", "g", 4, 0).body())
                    .post("/system/load/pressure").then().statusCode(200);
            return metrics.openStreams() <= before;
        });
    }

    /**
     * Issue 12: a quiet map sends nothing, so a dead subscriber was never noticed. A comment line every
     * mythos.http.sse-heartbeat-interval (1 s in tests) keeps the stream alive; clients ignore it.
     */
    @Test
    void aQuietStreamSendsHeartbeatCommentsAndADeadSubscriberIsDropped() throws Exception {
        int before = metrics.openStreams();
        HttpResponse<InputStream> res = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(stream).header("Accept", "text/event-stream")
                        .header("Authorization", TestTokens.authorization()).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> comments = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (Stream<String> lines = new BufferedReader(new InputStreamReader(res.body())).lines()) {
                lines.filter(l -> l.startsWith(":")).forEach(comments::add);
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        for (int i = 0; i < 2; i++) {
            String comment = comments.poll(20, TimeUnit.SECONDS);
            assertNotNull(comment, "no heartbeat within 20 s");
            assertEquals(": heartbeat", comment);
        }
        res.body().close();
        // nothing changes in the map: the heartbeat alone finds the closed connection
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> metrics.openStreams() <= before);
    }
}
