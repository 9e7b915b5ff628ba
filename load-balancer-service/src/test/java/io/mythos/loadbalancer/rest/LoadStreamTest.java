package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.loadbalancer.service.BalancerMetrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** GET /system/load/stream: an event with the metrics after a change; a closed connection frees its subscription. */
@QuarkusTest
class LoadStreamTest {

    @TestHTTPResource("/system/load/stream")
    URI stream;

    @Inject
    BalancerMetrics metrics;

    @Test
    void anEventCarriesTheMetricsAfterAPressureUpdate() throws Exception {
        int before = metrics.openStreams();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(stream).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (Stream<String> lines = new java.io.BufferedReader(new java.io.InputStreamReader(res.body())).lines()) {
                lines.filter(l -> l.startsWith("data:")).forEach(l -> data.add(l.substring(5).trim()));
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        });
        reader.setDaemon(true);
        reader.start();

        // the subscription is registered asynchronously: post changes until an event arrives
        Maps m = new Maps().assistant("a", "g", 10, 0).post();
        String event = null;
        for (int i = 0; i < 60 && event == null; i++) {
            given().contentType("application/json").body(new Maps().assistant("x", "g", 4, 0).body())
                    .post("/system/load/pressure").then().statusCode(200);
            event = data.poll(1, TimeUnit.SECONDS);
        }
        assertTrue(event != null, "no event within a minute");
        JsonObject json = new JsonObject(event);
        JsonObject metricsJson = json.getJsonObject("metrics");
        assertTrue(metricsJson.containsKey("max_utilization") && metricsJson.containsKey("mean_utilization")
                && metricsJson.containsKey("imbalance") && metricsJson.containsKey("lower_bound")
                && metricsJson.containsKey("total_pressure"), event);
        assertTrue(json.getString("generated_at").contains("T"));
        assertTrue(m.id("a").length() > 0);

        res.body().close();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            // a change makes the server write to the closed connection and notice it
            given().contentType("application/json").body(new Maps().assistant("y", "g", 4, 0).body())
                    .post("/system/load/pressure").then().statusCode(200);
            return metrics.openStreams() <= before;
        });
    }
}
