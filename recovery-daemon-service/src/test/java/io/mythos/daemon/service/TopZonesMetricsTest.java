package io.mythos.daemon.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.daemon.rest.Reports;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Limits and isolation": zone names come from clients, so at most the configured top N zones
 * (here 3) have a divergence gauge, however many zones there are; the zones-per-status gauges count them all.
 */
@QuarkusTest
@TestProfile(TopZonesMetricsTest.TopThree.class)
class TopZonesMetricsTest {

    public static class TopThree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mythos.daemon.metrics.top-zones", "3");
        }
    }

    @Inject
    DaemonMetrics metrics;

    @Test
    void manyZonesStillMakeABoundedNumberOfSeries() {
        for (int i = 0; i < 8; i++) {
            Reports.divergedZone();
        }
        metrics.refresh().await().atMost(Duration.ofSeconds(30));
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        long series = text.lines().filter(l -> l.startsWith("mythos_daemon_zone_divergence{")).count();
        assertTrue(series >= 1 && series <= 3, series + " zone divergence series");
        double zones = text.lines().filter(l -> l.startsWith("mythos_daemon_zones{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertTrue(zones >= 8, "the per-status totals count every zone: " + zones);
    }
}
