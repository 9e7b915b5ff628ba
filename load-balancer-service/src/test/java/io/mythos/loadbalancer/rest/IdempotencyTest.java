package io.mythos.loadbalancer.rest;

import io.mythos.platform.testing.TestTokens;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
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

/**
 * DESIGN.md "Idempotency": a repeated Idempotency-Key answers the first plan (same status and body,
 * Idempotent-Replayed: true) and applies nothing twice, also when the repeats race; the key on another
 * request (a real run after a dry run) is a 422 that runs nothing; a repeat while the first still runs
 * waits 3 s, then 409 with Retry-After.
 */
@QuarkusTest
class IdempotencyTest {

    static {
        Maps.numbersAsDoubles();
    }

    @TestHTTPResource("/system/load/rebalance")
    URI rebalance;

    @Inject
    Pool pool;

    /** The rows the platform's idempotency store keeps for this key (one per key and route). */
    private long plansWithKey(String key) {
        return pool.preparedQuery("SELECT count(*) FROM loadbalancer.idempotency_key WHERE key = $1 AND status = 200")
                .execute(Tuple.of(key)).await().indefinitely().iterator().next().getLong(0);
    }

    private long plansOfGroup(String group) {
        return pool.preparedQuery("SELECT count(*) FROM loadbalancer.rebalance_plan WHERE body->'scope'->>'group' = $1")
                .execute(Tuple.of(group)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aRepeatedKeyReturnsTheFirstPlanAndAppliesNothing() {
        Maps m = Maps.skewed().post();
        String key = UUID.randomUUID().toString();
        var first = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance").then().statusCode(200).body("redistribution", hasSize(9))
                .header("Idempotent-Replayed", nullValue()).extract();
        String planId = first.path("plan_id");
        // skew the group again: a second application would move codices again
        Maps.skewed().post(); // unrelated group, only to change the map
        given().contentType(ContentType.JSON).body(m.body()).when().post("/system/load/pressure").then().statusCode(200);
        String again = given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("group", m.id("g"), "dry_run", false)) // the same request, spelt differently
                .when().post("/system/load/rebalance").then().statusCode(200).contentType(ContentType.JSON)
                .header("Idempotent-Replayed", equalTo("true"))
                .body("plan_id", equalTo(planId)).body("redistribution", hasSize(9)).extract().asString();
        assertEquals(first.asString(), again, "the stored answer, byte for byte");
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200)
                .body("groups[0].max_utilization", equalTo(2.4));
        assertEquals(1, plansWithKey(key));
        assertEquals(1, plansOfGroup(m.id("g")));
    }

    /** Issue 12: a dry run then a real run under one key got the dry run's plan back, and nothing was applied. */
    @Test
    void aRealRunAfterADryRunWithTheSameKeyIs422AndRunsNothing() {
        Maps m = Maps.skewed().post();
        String key = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("group", m.id("g"), "dry_run", true))
                .when().post("/system/load/rebalance").then().statusCode(200).body("applied", equalTo(false));
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance").then().statusCode(422).contentType("application/problem+json")
                .body("type", endsWith("idempotency-key-reused")).body("status", equalTo(422))
                .body("title", equalTo("Idempotency Key Reused"));
        // another group under the same key: also another request
        Maps other = Maps.skewed().post();
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("group", other.id("g"), "dry_run", true))
                .when().post("/system/load/rebalance").then().statusCode(422);
        assertEquals(1, plansOfGroup(m.id("g")), "only the dry run's plan");
        assertEquals(0, plansOfGroup(other.id("g")));
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200)
                .body("groups[0].max_utilization", equalTo(2.4)); // nothing applied
        // a new key for the real run applies it
        given().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance").then().statusCode(200).body("applied", equalTo(true));
    }

    @Test
    void aKeyIsCheckedForPrintableCharactersAndLength() {
        given().contentType(ContentType.JSON).header("Idempotency-Key", "k".repeat(201)).body(Map.of("dry_run", true))
                .when().post("/system/load/rebalance").then().spec(Problems.badRequest());
        given().contentType(ContentType.JSON).header("Idempotency-Key", "k\u00e9y").body(Map.of("dry_run", true))
                .when().post("/system/load/rebalance").then().spec(Problems.badRequest())
                .body("violations[0].message", org.hamcrest.Matchers.containsString("printable"));
    }

    /** A failed request keeps no key: the same key can be sent again once the cause is fixed. */
    @Test
    void aRequestThatFailedLeavesItsKeyFree() {
        Maps m = Maps.skewed();
        String key = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance").then().spec(Problems.notFound());
        m.post();
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance").then().statusCode(200).body("applied", equalTo(true))
                .header("Idempotent-Replayed", nullValue());
    }

    /** The first request waits for its group's lock (held by the test): a repeat waits 3 s, then 409 with Retry-After. */
    @Test
    void aRepeatWhileTheFirstStillRunsWaitsThenIs409AndLaterReplays() throws Exception {
        Maps m = Maps.skewed().post();
        String key = UUID.randomUUID().toString();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        java.util.function.Supplier<HttpRequest> request = () -> HttpRequest.newBuilder(rebalance)
                .header("Content-Type", "application/json").header("Authorization", TestTokens.authorization())
                .header("Idempotency-Key", key).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("group", m.id("g")).encode())).build();
        io.vertx.mutiny.sqlclient.SqlConnection holder = pool.getConnection().await().atMost(Duration.ofSeconds(30));
        CompletableFuture<HttpResponse<String>> first;
        try {
            holder.query("BEGIN").execute().await().indefinitely();
            holder.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(0x4c4f41444d4150L)).await().indefinitely();
            holder.preparedQuery("SELECT pg_advisory_xact_lock($1, $2)").execute(Tuple.of(0x4c4d4750, m.id("g").hashCode()))
                    .await().indefinitely();
            first = http.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pool.query(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").execute()
                    .await().indefinitely().iterator().next().getLong(0) >= 1);
            long started = System.nanoTime();
            HttpResponse<String> repeat = http.send(request.get(), HttpResponse.BodyHandlers.ofString());
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(409, repeat.statusCode(), repeat.body());
            assertEquals("application/problem+json", repeat.headers().firstValue("Content-Type").orElse(""));
            assertEquals("1", repeat.headers().firstValue("Retry-After").orElse(null));
            assertEquals(409, new JsonObject(repeat.body()).getInteger("status"));
            org.junit.jupiter.api.Assertions.assertTrue(waitedMs >= 2900, "waited " + waitedMs + " ms");
        } finally {
            holder.query("COMMIT").execute().await().indefinitely();
            holder.close().await().indefinitely();
        }
        HttpResponse<String> done = first.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, done.statusCode(), done.body());
        HttpResponse<String> replay = http.send(request.get(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, replay.statusCode());
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(null));
        assertEquals(done.body(), replay.body());
        assertEquals(1, plansOfGroup(m.id("g")));
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
