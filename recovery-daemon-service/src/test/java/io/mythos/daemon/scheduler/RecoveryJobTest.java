package io.mythos.daemon.scheduler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.mythos.daemon.rest.Reports;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scheduled job (its timer is off in tests) recovers a diverged zone when it fires. */
@QuarkusTest
class RecoveryJobTest {

    @Inject
    RecoveryJob job;

    @Test
    void aRunRecoversDivergedZones() {
        String zone = Reports.divergedZone();
        job.cycle().await().atMost(Duration.ofSeconds(60));
        given().when().get("/system/daemon/zones/" + zone + "/events").then().statusCode(200)
                .body("total", equalTo(1))
                .body("events[0].memory_resync_attempts[0].assistant_id", equalTo("a4"));
        given().when().get("/system/daemon/zones/" + zone).then().body("cycles", equalTo(1));
    }
}
