package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Prometheus: per-group max utilization and imbalance, and counters of plans, moves and tasks. */
@QuarkusTest
class MetricsTest {

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
        assertTrue(m.find(), series + " not in /q/metrics");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void groupGaugesFollowTheMapAndCountersCount() {
        Maps m = Maps.skewed().post();
        String g = m.id("g");
        String before = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(Math.abs(value(before, "mythos_load_balancer_group_max_utilization{group=\"" + g + "\"}") - 2.4) < 1e-9);
        assertTrue(Math.abs(value(before, "mythos_load_balancer_group_imbalance{group=\"" + g + "\"}") - 4.0) < 1e-9);

        given().contentType(ContentType.JSON).body(Map.of("group", g)).post("/system/load/rebalance").then().statusCode(200);
        String after = given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("mythos_load_balancer_plans_total{applied=\"true\"")).extract().asString();
        assertTrue(Math.abs(value(after, "mythos_load_balancer_group_max_utilization{group=\"" + g + "\"}") - 0.6) < 1e-9);
        assertTrue(value(after, "mythos_load_balancer_moves_total") >= 9);

        TaskQueue.queueTasks(1);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("mythos_load_balancer_tasks_total{status=\"pending\"}"))
                .body(containsString("mythos_load_balancer_stream_subscribers"));
    }
}
