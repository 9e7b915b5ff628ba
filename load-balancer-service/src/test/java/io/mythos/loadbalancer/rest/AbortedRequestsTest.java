package io.mythos.loadbalancer.rest;

import io.mythos.platform.testing.TestTokens;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Clients that give up mid-request must not leak pooled connections (STYLE.md, pitfall 9): after many
 * aborted writes, more requests than the pool has connections still succeed, one after the other.
 */
@QuarkusTest
class AbortedRequestsTest {

    @TestHTTPResource("/system/load/pressure")
    URI pressure;

    @TestHTTPResource("/system/load/rebalance")
    URI rebalance;

    @Test
    void abortedWritesLeaveTheServiceAnswering() {
        Maps m = Maps.skewed().post();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String body = new JsonObject(Map.of("assistants", List.of(Map.of("assistant_id", m.id("x" + i), "group", m.id("g"),
                    "capacity", 1.0, "memory_entropy", 0.0)))).encode();
            HttpRequest write = HttpRequest.newBuilder(i % 2 == 0 ? pressure : rebalance)
                    .header("Content-Type", "application/json").header("Authorization", TestTokens.authorization())
                    .timeout(Duration.ofMillis(1 + i % 5))
                    .POST(HttpRequest.BodyPublishers.ofString(i % 2 == 0 ? body : "{\"group\": \"" + m.id("g") + "\"}"))
                    .build();
            calls.add(http.sendAsync(write, HttpResponse.BodyHandlers.ofString()));
        }
        calls.forEach(c -> c.handle((r, e) -> null).join()); // most time out on the client side
        for (int i = 0; i < 30; i++) { // more than the 20 pooled connections
            given().contentType(ContentType.JSON).body(new Maps().assistant("a", "g", 1, 0).body())
                    .when().post("/system/load/pressure").then().statusCode(200);
        }
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200);
    }
}
