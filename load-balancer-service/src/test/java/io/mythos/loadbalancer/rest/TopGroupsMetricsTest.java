package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Limits and isolation": group names come from clients, so at most the configured top N groups
 * (here 3) have gauges of their own, however many groups there are; mythos_load_balancer_groups counts them all.
 */
@QuarkusTest
@TestProfile(TopGroupsMetricsTest.TopThree.class)
class TopGroupsMetricsTest {

    public static class TopThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mythos.load-balancer.metrics.top-groups", "3");
        }
    }

    @Test
    void manyGroupsStillMakeABoundedNumberOfSeries() {
        for (int i = 0; i < 8; i++) {
            Maps.skewed().post();
        }
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        long max = metrics.lines().filter(l -> l.startsWith("mythos_load_balancer_group_max_utilization{")).count();
        long imbalance = metrics.lines().filter(l -> l.startsWith("mythos_load_balancer_group_imbalance{")).count();
        assertTrue(max >= 1 && max <= 3, max + " max-utilization series");
        assertTrue(imbalance >= 1 && imbalance <= 3, imbalance + " imbalance series");
        double groups = metrics.lines().filter(l -> l.startsWith("mythos_load_balancer_groups "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
        assertTrue(groups >= 8, "the total counts every group: " + groups);
    }
}
