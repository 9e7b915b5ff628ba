package io.mythos.loadbalancer.rest;

import io.mythos.platform.testing.TestTokens;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A repeated Idempotency-Key answers the first plan and applies nothing twice, also when the repeats race. */
@QuarkusTest
class IdempotencyTest {

    static {
        Maps.numbersAsDoubles();
    }

    @TestHTTPResource("/system/load/rebalance")
    URI rebalance;

    @Inject
    Pool pool;

    private long plansWithKey(String key) {
        return pool.preparedQuery("SELECT count(*) FROM loadbalancer.rebalance_plan WHERE idempotency_key = $1")
                .execute(Tuple.of(key)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aRepeatedKeyReturnsTheFirstPlanAndAppliesNothing() {
        Maps m = Maps.skewed().post();
        String key = UUID.randomUUID().toString();
        String planId = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance").then().statusCode(200).body("redistribution", hasSize(9))
                .extract().path("plan_id");
        // skew the group again: a second application would move codices again
        Maps.skewed().post(); // unrelated group, only to change the map
        given().contentType(ContentType.JSON).body(m.body()).when().post("/system/load/pressure").then().statusCode(200);
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance").then().statusCode(200)
                .body("plan_id", equalTo(planId)).body("redistribution", hasSize(9));
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200)
                .body("groups[0].max_utilization", equalTo(2.4));
        assertEquals(1, plansWithKey(key));
    }

    @Test
    void concurrentRepeatsMakeOnePlanAppliedOnce() {
        Maps m = Maps.skewed().post();
        String key = UUID.randomUUID().toString();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            HttpRequest req = HttpRequest.newBuilder(rebalance).header("Content-Type", "application/json")
                    .header("Authorization", TestTokens.authorization())
                    .header("Idempotency-Key", key).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("group", m.id("g")).encode())).build();
            calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> planIds = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> res = call.join();
            assertEquals(200, res.statusCode(), res.body());
            JsonObject plan = new JsonObject(res.body());
            planIds.add(plan.getString("plan_id"));
            assertEquals(9, plan.getJsonArray("redistribution").size());
        }
        assertEquals(1, planIds.size());
        assertEquals(1, plansWithKey(key));
        // applied once: the 9 moved codices went to the three other assistants, 3 each; a0 kept 3
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200)
                .body("assistants.codex_count", equalTo(List.of(3, 3, 3, 3)));
    }
}
