package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.List;
import java.util.Map;

/**
 * The decentralization queue for tests. A claim takes the oldest claimable task of the whole queue, so
 * a test of claims owns the whole queue: it empties it first and then queues its own tasks.
 */
final class TaskQueue {

    private TaskQueue() {
    }

    static void empty(Pool pool) {
        pool.query("DELETE FROM loadbalancer.decentralization_task").execute().await().indefinitely();
    }

    /** n assistants each holding one codex too heavy to move; a rebalance queues n split tasks: their ids. */
    static List<String> queueTasks(int n) {
        Maps m = new Maps();
        for (int i = 0; i < n; i++) {
            m.assistant("a" + i, "g", 10, 0).codex("c" + i, "a" + i, 9);
        }
        m.post();
        return given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"))).when().post("/system/load/rebalance")
                .then().statusCode(200).extract().jsonPath().getList("decentralization_tasks.task_id");
    }
}
