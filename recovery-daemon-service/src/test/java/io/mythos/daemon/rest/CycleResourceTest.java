package io.mythos.daemon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** POST /system/daemon/cycle, and the daemon's meters in /q/metrics. */
@QuarkusTest
class CycleResourceTest {

    @Test
    void aCycleRecoversEveryZoneThatNeedsItAndSaysWhatItDid() {
        String zone = Reports.divergedZone();
        given().when().post("/system/daemon/cycle").then().statusCode(200).contentType("application/json")
                .body("zones_checked", greaterThanOrEqualTo(1))
                .body("recovered", greaterThanOrEqualTo(1))
                .body("resyncs_applied", greaterThanOrEqualTo(1))
                .body("conflicts", greaterThanOrEqualTo(0))
                .body("stalled", greaterThanOrEqualTo(0))
                .body("escalations_sent", greaterThanOrEqualTo(0))
                .body("duration_ms", notNullValue());
        given().when().get("/system/daemon/zones/" + zone).then().body("cycles", equalTo(1));
    }

    @Test
    void metricsShowDivergencePerZoneZonesByStatusAndCounters() {
        String zone = Reports.divergedZone();
        given().when().post("/system/daemon/cycle").then().statusCode(200);
        String metrics = given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("daemon_zones{status=\"diverged\"}"))
                .body(containsString("daemon_zones{status=\"converged\"}"))
                .body(containsString("daemon_recoveries_total"))
                .body(containsString("daemon_resyncs_applied_total"))
                .body(containsString("daemon_resyncs_conflicts_total"))
                .extract().asString();
        String prefix = "daemon_zone_divergence{zone=\"" + zone + "\"} ";
        String line = metrics.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        assertEquals(0.2, Double.parseDouble(line.substring(prefix.length())), 1e-9);
    }
}
