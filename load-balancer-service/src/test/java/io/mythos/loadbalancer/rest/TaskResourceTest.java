package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.loadbalancer.service.TaskService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The decentralization task queue: list, claim, complete, fail, lease expiry. */
@QuarkusTest
class TaskResourceTest {

    private static final String PROBLEM = "application/problem+json";

    static {
        Maps.numbersAsDoubles();
    }

    @Inject
    Pool pool;

    @Inject
    TaskService tasks;

    /** n assistants each holding one codex too heavy to move; a rebalance queues n split tasks. */
    static List<String> queueTasks(int n) {
        Maps m = new Maps();
        for (int i = 0; i < n; i++) {
            m.assistant("a" + i, "g", 10, 0).codex("c" + i, "a" + i, 9);
        }
        m.post();
        return given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"))).when().post("/system/load/rebalance")
                .then().statusCode(200).extract().jsonPath().getList("decentralization_tasks.task_id");
    }

    /** Claims until the queue is empty, completing what it gets, so that the test knows what is pending. */
    static void drain() {
        while (given().contentType(ContentType.JSON).body(Map.of("worker", "drainer")).when().post("/system/load/tasks/claim")
                .then().extract().statusCode() == 200) {
            given().when().get("/system/load/tasks?status=claimed&limit=500").then().extract().jsonPath()
                    .getList("tasks.task_id", String.class)
                    .forEach(id -> given().contentType(ContentType.JSON).body("{}").post("/system/load/tasks/" + id + "/complete"));
        }
    }

    private static Response claim(String worker) {
        return given().contentType(ContentType.JSON).body(Map.of("worker", worker)).when().post("/system/load/tasks/claim");
    }

    @Test
    void claimCompleteAndFail() {
        drain();
        List<String> queued = queueTasks(2);
        given().queryParam("status", "pending").when().get("/system/load/tasks")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("tasks.task_id", hasItem(queued.get(0))).body("tasks.status", everyItem(equalTo("pending")))
                .body("total", greaterThanOrEqualTo(2));

        String first = claim("w1").then().statusCode(200).contentType(ContentType.JSON)
                .body("status", equalTo("claimed")).body("worker", equalTo("w1")).body("attempts", equalTo(1))
                .body("action", equalTo("split")).body("shards", equalTo(2)).body("lease_expires_at", notNullValue())
                .body("plan_id", notNullValue())
                .extract().path("task_id");
        String second = claim("w2").then().statusCode(200).body("worker", equalTo("w2")).extract().path("task_id");
        assertTrue(queued.contains(first) && queued.contains(second) && !first.equals(second));
        claim("w3").then().statusCode(204);

        // another worker may not finish w1's task
        given().contentType(ContentType.JSON).body(Map.of("worker", "w2")).when().post("/system/load/tasks/" + first + "/complete")
                .then().statusCode(409).contentType(PROBLEM).body("detail", containsString("w1"));
        given().contentType(ContentType.JSON).body(Map.of("worker", "w1")).when().post("/system/load/tasks/" + first + "/complete")
                .then().statusCode(200).contentType(ContentType.JSON).body("status", equalTo("done"))
                .body("lease_expires_at", nullValue());
        given().contentType(ContentType.JSON).body(Map.of("worker", "w1")).when().post("/system/load/tasks/" + first + "/complete")
                .then().statusCode(409).contentType(PROBLEM).body("detail", containsString("done"));
        given().contentType(ContentType.JSON).body(Map.of("worker", "w2", "reason", "shard store down"))
                .when().post("/system/load/tasks/" + second + "/fail")
                .then().statusCode(200).body("status", equalTo("failed")).body("reason", equalTo("shard store down"));

        given().queryParam("status", "done").queryParam("limit", 500).when().get("/system/load/tasks")
                .then().statusCode(200).body("tasks.task_id", hasItem(first));
        given().queryParam("status", "failed").queryParam("limit", 500).when().get("/system/load/tasks")
                .then().statusCode(200).body("tasks.task_id", hasItem(second));
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
        drain();
        String id = queueTasks(1).get(0);
        String until = claim("slow").then().statusCode(200).extract().path("lease_expires_at");
        // the default lease is 60 s
        Duration lease = Duration.between(OffsetDateTime.now(), OffsetDateTime.parse(until));
        assertTrue(lease.toSeconds() > 50 && lease.toSeconds() <= 60, "lease " + lease);
        claim("eager").then().statusCode(204);

        pool.preparedQuery("UPDATE loadbalancer.decentralization_task SET lease_expires_at = now() - interval '1 second' WHERE task_id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
        assertEquals(1, tasks.expireLeases().await().indefinitely());
        given().queryParam("status", "pending").queryParam("limit", 500).when().get("/system/load/tasks")
                .then().statusCode(200).body("tasks.task_id", hasItem(id));
        claim("eager").then().statusCode(200).body("task_id", equalTo(id)).body("worker", equalTo("eager"))
                .body("attempts", equalTo(2));
        // the first worker's lease is gone: it can no longer complete the task
        given().contentType(ContentType.JSON).body(Map.of("worker", "slow")).post("/system/load/tasks/" + id + "/complete")
                .then().statusCode(409);
    }

    @Test
    void aClaimAlsoTakesATaskWhoseLeaseRanOutBeforeTheSweep() {
        drain();
        String id = queueTasks(1).get(0);
        claim("slow").then().statusCode(200);
        pool.preparedQuery("UPDATE loadbalancer.decentralization_task SET lease_expires_at = now() - interval '1 second' WHERE task_id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
        claim("eager").then().statusCode(200).body("task_id", equalTo(id));
    }

    @Test
    void errors() {
        given().contentType(ContentType.JSON).body(Map.of()).when().post("/system/load/tasks/claim")
                .then().statusCode(400).contentType(PROBLEM).body("violations[0].field", equalTo("worker"));
        given().contentType(ContentType.JSON).body(Map.of("worker", "w".repeat(151))).when().post("/system/load/tasks/claim")
                .then().statusCode(400).contentType(PROBLEM).body("violations[0].field", equalTo("worker"));
        given().contentType(ContentType.JSON).when().post("/system/load/tasks/claim").then().statusCode(400).contentType(PROBLEM);
        for (String action : List.of("complete", "fail")) {
            given().contentType(ContentType.JSON).body("{}").when().post("/system/load/tasks/" + UUID.randomUUID() + "/" + action)
                    .then().statusCode(404).contentType(PROBLEM).body("status", equalTo(404));
            given().contentType(ContentType.JSON).body("{}").when().post("/system/load/tasks/not-a-uuid/" + action)
                    .then().statusCode(400).contentType(PROBLEM);
        }
        given().queryParam("status", "lost").when().get("/system/load/tasks")
                .then().statusCode(400).contentType(PROBLEM).body("violations[0].field", equalTo("status"))
                .body("violations[0].message", containsString("pending"));
        given().queryParam("limit", 0).when().get("/system/load/tasks")
                .then().statusCode(400).contentType(PROBLEM).body("violations[0].field", equalTo("limit"));
    }
}
