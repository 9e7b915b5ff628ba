package io.mythos.daemon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** POST /system/daemon/cycle, and the daemon's meters in /q/metrics. */
@QuarkusTest
class CycleResourceTest {

    /**
     * A cycle covers every zone of the database, so the zones other tests left unconverged are
     * recovered first (a zone nobody reports to converges in a few cycles): the next cycle then sees
     * only this test's zone, and its summary can be asserted exactly.
     */
    private static void recoverEverythingElse() {
        for (int i = 0; i < 50; i++) {
            if (given().when().post("/system/daemon/cycle").then().statusCode(200)
                    .extract().jsonPath().getInt("zones_checked") == 0) {
                return;
            }
        }
        fail("zones left by other tests did not converge in 50 cycles");
    }

    @Test
    void aCycleRecoversEveryZoneThatNeedsItAndSaysWhatItDid() {
        recoverEverythingElse();
        String zone = Reports.divergedZone();
        given().when().post("/system/daemon/cycle").then().statusCode(200).contentType("application/json")
                .body("zones_checked", equalTo(1))
                .body("recovered", equalTo(1))
                .body("resyncs_applied", equalTo(1)) // a4 only: a1..a3 agree with the consensus
                .body("conflicts", equalTo(0))
                .body("stalled", equalTo(0))
                .body("escalations_sent", equalTo(0))
                .body("duration_ms", greaterThanOrEqualTo(0));
        given().when().get("/system/daemon/zones/" + zone).then().body("cycles", equalTo(1));
        // recovered once, not converged yet (0.2): checked again by the next cycle
        given().when().post("/system/daemon/cycle").then().statusCode(200)
                .body("zones_checked", equalTo(1)).body("recovered", equalTo(1));
    }

    @Test
    void metricsShowDivergencePerZoneZonesByStatusAndCounters() {
        String zone = Reports.divergedZone();
        given().when().post("/system/daemon/cycle").then().statusCode(200);
        String metrics = given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("mythos_daemon_zones{status=\"diverged\"}"))
                .body(containsString("mythos_daemon_zones{status=\"converged\"}"))
                .body(containsString("mythos_daemon_recoveries_total"))
                .body(containsString("mythos_daemon_resyncs_applied_total"))
                .body(containsString("mythos_daemon_resyncs_conflicts_total"))
                .body(containsString("mythos_daemon_recovery_phase_seconds_count{phase=\"plan\"}"))
                .extract().asString();
        String prefix = "mythos_daemon_zone_divergence{zone=\"" + zone + "\"} ";
        String line = metrics.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        assertEquals(0.2, Double.parseDouble(line.substring(prefix.length())), 1e-9);
    }
}
