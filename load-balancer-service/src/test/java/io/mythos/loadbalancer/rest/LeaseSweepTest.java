package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The scheduler sweeps expired leases by itself: with a sweep every second and a one-second lease, a
 * claimed task is listed as pending again, although nothing but the scheduler touches it.
 */
@QuarkusTest
@TestProfile(LeaseSweepTest.SweepEverySecond.class)
class LeaseSweepTest {

    public static class SweepEverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "true",
                    "mythos.load-balancer.lease-sweep-every", "1s",
                    "mythos.load-balancer.lease", "1s");
        }
    }

    @Test
    void theSchedulerReturnsAnExpiredClaimToPending() {
        String id = TaskQueue.queueTasks(1).get(0);
        given().contentType(ContentType.JSON).body(Map.of("worker", "w1")).when().post("/system/load/tasks/claim")
                .then().statusCode(200).body("task_id", equalTo(id)).body("status", equalTo("claimed"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("status", "pending")
                .when().get("/system/load/tasks").then().statusCode(200).extract().jsonPath()
                .getList("tasks.task_id", String.class).equals(List.of(id)));
        // swept, not re-claimed: no worker, no lease, still one attempt
        given().queryParam("status", "pending").when().get("/system/load/tasks").then().statusCode(200)
                .body("tasks[0].worker", nullValue()).body("tasks[0].lease_expires_at", nullValue())
                .body("tasks[0].attempts", equalTo(1));
    }
}
