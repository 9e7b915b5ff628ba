package io.mythos.loadbalancer.rest;

import io.mythos.platform.testing.TestTokens;
import static io.mythos.loadbalancer.rest.Problems.assertUtc;
import static io.mythos.loadbalancer.rest.Problems.badRequest;
import static io.mythos.loadbalancer.rest.Problems.conflict;
import static io.mythos.loadbalancer.rest.Problems.notFound;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.loadbalancer.service.TaskService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decentralization task queue: list, claim, complete, fail, lease expiry; each test on its own queue. */
@QuarkusTest
class TaskResourceTest {

    static {
        Maps.numbersAsDoubles();
    }

    @Inject
    Pool pool;

    @Inject
    TaskService tasks;

    @BeforeEach
    void ownQueue() {
        TaskQueue.empty(pool);
    }

    private static Response claim(String worker) {
        return given().contentType(ContentType.JSON).body(Map.of("worker", worker)).when().post("/system/load/tasks/claim");
    }

    @Test
    void claimCompleteAndFail() {
        List<String> queued = TaskQueue.queueTasks(2);
        JsonPath pending = given().queryParam("status", "pending").when().get("/system/load/tasks")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("tasks.status", everyItem(equalTo("pending"))).body("total", equalTo(2))
                .extract().jsonPath();
        assertEquals(Set.copyOf(queued), Set.copyOf(pending.getList("tasks.task_id", String.class)));
        assertUtc(pending.getString("tasks[0].created_at"));
        assertUtc(pending.getString("tasks[0].updated_at"));

        JsonPath claimed = claim("w1").then().statusCode(200).contentType(ContentType.JSON)
                .body("status", equalTo("claimed")).body("worker", equalTo("w1")).body("attempts", equalTo(1))
                .body("action", equalTo("split")).body("shards", equalTo(2)).body("lease_expires_at", notNullValue())
                .body("plan_id", notNullValue())
                .extract().jsonPath();
        assertUtc(claimed.getString("lease_expires_at"));
        String first = claimed.getString("task_id");
        String second = claim("w2").then().statusCode(200).body("worker", equalTo("w2")).extract().path("task_id");
        assertTrue(queued.contains(first) && queued.contains(second) && !first.equals(second));
        claim("w3").then().statusCode(204);

        // another worker may not finish w1's task
        given().contentType(ContentType.JSON).body(Map.of("worker", "w2")).when().post("/system/load/tasks/" + first + "/complete")
                .then().spec(conflict()).body("detail", containsString("w1"));
        given().contentType(ContentType.JSON).body(Map.of("worker", "w1")).when().post("/system/load/tasks/" + first + "/complete")
                .then().statusCode(200).contentType(ContentType.JSON).body("status", equalTo("done"))
                .body("lease_expires_at", nullValue());
        given().contentType(ContentType.JSON).body(Map.of("worker", "w1")).when().post("/system/load/tasks/" + first + "/complete")
                .then().spec(conflict()).body("detail", containsString("done"));
        given().contentType(ContentType.JSON).body(Map.of("worker", "w2", "reason", "shard store down"))
                .when().post("/system/load/tasks/" + second + "/fail")
                .then().statusCode(200).body("status", equalTo("failed")).body("reason", equalTo("shard store down"));

        given().queryParam("status", "done").when().get("/system/load/tasks")
                .then().statusCode(200).body("tasks.task_id", equalTo(List.of(first))).body("total", equalTo(1));
        given().queryParam("status", "failed").when().get("/system/load/tasks")
                .then().statusCode(200).body("tasks.task_id", equalTo(List.of(second))).body("total", equalTo(1));
        given().queryParam("status", "pending").when().get("/system/load/tasks")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void aPlanOnACodexWithAnOpenTaskReusesIt() {
        Maps m = new Maps().assistant("a", "g", 10, 0).codex("hot", "a", 9).post();
        String first = given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"))).post("/system/load/rebalance")
                .then().statusCode(200).extract().path("decentralization_tasks[0].task_id");
        given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"))).post("/system/load/rebalance")
                .then().statusCode(200).body("decentralization_tasks[0].task_id", equalTo(first));
    }

    @Test
    void anExpiredLeaseReturnsTheTaskToPending() {
        String id = TaskQueue.queueTasks(1).get(0);
        String until = claim("slow").then().statusCode(200).extract().path("lease_expires_at");
        // the default lease is 60 s
        Duration lease = Duration.between(OffsetDateTime.now(), OffsetDateTime.parse(until));
        assertTrue(lease.toSeconds() > 50 && lease.toSeconds() <= 60, "lease " + lease);
        claim("eager").then().statusCode(204);

        pool.preparedQuery("UPDATE loadbalancer.decentralization_task SET lease_expires_at = now() - interval '1 second' WHERE task_id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
        assertEquals(1, tasks.expireLeases().await().indefinitely());
        given().queryParam("status", "pending").when().get("/system/load/tasks")
                .then().statusCode(200).body("tasks.task_id", equalTo(List.of(id)))
                .body("tasks[0].worker", nullValue()).body("tasks[0].lease_expires_at", nullValue());
        claim("eager").then().statusCode(200).body("task_id", equalTo(id)).body("worker", equalTo("eager"))
                .body("attempts", equalTo(2));
        // the first worker's lease is gone: it can no longer complete the task
        given().contentType(ContentType.JSON).body(Map.of("worker", "slow")).post("/system/load/tasks/" + id + "/complete")
                .then().spec(conflict()).body("detail", containsString("eager"));
    }

    @Test
    void aClaimAlsoTakesATaskWhoseLeaseRanOutBeforeTheSweep() {
        String id = TaskQueue.queueTasks(1).get(0);
        claim("slow").then().statusCode(200);
        pool.preparedQuery("UPDATE loadbalancer.decentralization_task SET lease_expires_at = now() - interval '1 second' WHERE task_id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
        claim("eager").then().statusCode(200).body("task_id", equalTo(id));
    }

    /** DESIGN.md: a worker completes or fails only a task it claimed itself (its token's subject), else 409. */
    @Test
    void aWorkerFinishesOnlyTheTaskItClaimedItself() {
        TaskQueue.queueTasks(1);
        String alice = TestTokens.of("alice", "worker");
        String bob = TestTokens.of("bob", "worker");
        // a worker claims under its own name only
        given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("worker", "bob"))
                .when().post("/system/load/tasks/claim").then().statusCode(403).contentType("application/problem+json");
        String id = given().auth().oauth2(alice).contentType(ContentType.JSON).body(Map.of("worker", "alice"))
                .when().post("/system/load/tasks/claim").then().statusCode(200).body("worker", equalTo("alice"))
                .extract().path("task_id");
        for (String action : List.of("complete", "fail")) {
            // another worker, with or without naming the claimant: 409, the task stays claimed
            given().auth().oauth2(bob).contentType(ContentType.JSON).body("{}").when().post("/system/load/tasks/" + id + "/" + action)
                    .then().statusCode(409).contentType("application/problem+json");
            given().auth().oauth2(bob).contentType(ContentType.JSON).body(Map.of("worker", "alice"))
                    .when().post("/system/load/tasks/" + id + "/" + action).then().statusCode(403);
        }
        given().when().get("/system/load/tasks?status=claimed").then().body("tasks.task_id", hasItem(id));
        given().auth().oauth2(alice).contentType(ContentType.JSON).body("{}").when().post("/system/load/tasks/" + id + "/complete")
                .then().statusCode(200).body("status", equalTo("done")).body("worker", equalTo("alice"));
    }

    /** An operator may do everything: it finishes a task some worker claimed (e.g. one whose worker is gone). */
    @Test
    void anOperatorMayFinishAnotherWorkersTask() {
        TaskQueue.queueTasks(1);
        String id = given().auth().oauth2(TestTokens.of("carol", "worker")).contentType(ContentType.JSON)
                .body(Map.of("worker", "carol")).when().post("/system/load/tasks/claim").then().statusCode(200)
                .extract().path("task_id");
        given().contentType(ContentType.JSON).body(Map.of("reason", "worker gone")).when().post("/system/load/tasks/" + id + "/fail")
                .then().statusCode(200).body("status", equalTo("failed"));
    }

    @Test
    void errors() {
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/system/load/tasks/claim")
                .then().spec(badRequest()).body("violations[0].field", equalTo("worker"));
        given().contentType(ContentType.JSON).body(Map.of("worker", "w".repeat(151))).when().post("/system/load/tasks/claim")
                .then().spec(badRequest()).body("violations[0].field", equalTo("worker"));
        given().contentType(ContentType.JSON).when().post("/system/load/tasks/claim").then().spec(badRequest());
        for (String action : List.of("complete", "fail")) {
            given().contentType(ContentType.JSON).body("{}").when().post("/system/load/tasks/" + UUID.randomUUID() + "/" + action)
                    .then().spec(notFound());
            given().contentType(ContentType.JSON).body("{}").when().post("/system/load/tasks/not-a-uuid/" + action)
                    .then().spec(badRequest());
        }
        given().queryParam("status", "lost").when().get("/system/load/tasks")
                .then().spec(badRequest()).body("violations[0].field", equalTo("status"))
                .body("violations[0].message", containsString("pending"));
        given().queryParam("limit", 0).when().get("/system/load/tasks")
                .then().spec(badRequest()).body("violations[0].field", equalTo("limit"));
    }
}
