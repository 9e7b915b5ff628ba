package io.mythos.daemon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /system/daemon/zones/{zone}/recover: the record, the converged answer, idempotency, errors. */
@QuarkusTest
class RecoverResourceTest {

    @org.junit.jupiter.api.BeforeEach
    void doubles() {
        Reports.useDoubles();
    }

    private static ValidatableResponse recover(String zone, String key) {
        var req = given();
        if (key != null) {
            req = req.header("Idempotency-Key", key);
        }
        return req.when().post("/system/daemon/zones/" + zone + "/recover").then();
    }

    @Test
    void aDivergedZoneGetsOneRecordWithAllTheSeedFields() {
        String zone = Reports.divergedZone();
        recover(zone, null).statusCode(200).contentType("application/json")
                .body("id", notNullValue())
                .body("network_zone", equalTo(zone))
                .body("detected_failure.zone_divergence", closeTo(0.4, 1e-9))
                .body("detected_failure.threshold", closeTo(0.10, 1e-9))
                .body("detected_failure.replicas", hasSize(4))
                .body("detected_failure.replicas.find { it.assistant_id == 'a4' }.divergence", closeTo(0.4, 1e-9))
                .body("memory_resync_attempts", hasSize(1))
                .body("memory_resync_attempts[0].assistant_id", equalTo("a4"))
                .body("memory_resync_attempts[0].version", equalTo(1))
                .body("memory_resync_attempts[0].divergence_before", closeTo(0.4, 1e-9))
                .body("memory_resync_attempts[0].divergence_after", closeTo(0.2, 1e-9))
                .body("memory_resync_attempts[0].status", equalTo("applied"))
                .body("codex_realignment_vector", not(hasKey("a1")))
                .body("codex_realignment_vector.a4.x", closeTo(-0.4, 1e-9))
                .body("assistant_reflection_scripts", equalTo("a4: lower \"x\" 0.90 -> 0.70 (consensus 0.50)\n"))
                .body("recovery_score", closeTo(0.5, 1e-9))
                .body("created_at", matchesPattern(Reports.UTC_TIMESTAMP));

        given().when().get("/system/daemon/zones/" + zone).then().statusCode(200)
                .body("status", equalTo("diverged"))
                .body("divergence", closeTo(0.2, 1e-9))
                .body("cycles", equalTo(1))
                .body("last_recovery_score", closeTo(0.5, 1e-9))
                .body("replica_states.find { it.assistant_id == 'a4' }.version", equalTo(2));
    }

    @Test
    void aConvergedZoneAnswersConvergedAndWritesNothing() {
        String zone = Reports.newZone();
        Reports.report(zone, "a1", Map.of("x", 0.50));
        Reports.report(zone, "a2", Map.of("x", 0.51));
        recover(zone, null).statusCode(200).contentType("application/json")
                .body("network_zone", equalTo(zone))
                .body("status", equalTo("converged"))
                .body("divergence", closeTo(0.005, 1e-9))
                .body("$", not(hasKey("id")));
        given().when().get("/system/daemon/zones/" + zone + "/events").then().statusCode(200)
                .body("total", equalTo(0)).body("events", hasSize(0));
    }

    @Test
    void recoveringUntilConvergedThenNothingMore() {
        String zone = Reports.divergedZone();
        int records = 0;
        while (!"converged".equals(recover(zone, null).statusCode(200).extract().path("status"))) {
            records++;
        }
        // 0.4 halves each cycle: 0.2, 0.1, 0.05, 0.025, 0.0125
        assertEquals(5, records);
        recover(zone, null).statusCode(200).body("status", equalTo("converged"));
        given().when().get("/system/daemon/zones/" + zone + "/events").then().body("total", equalTo(5));
        given().when().get("/system/daemon/zones/" + zone).then()
                .body("status", equalTo("converged")).body("cycles", equalTo(5))
                .body("last_recovery_score", closeTo(0.5, 1e-9))
                .body("convergence", hasSize(5))
                .body("convergence[4].divergence", closeTo(0.0125, 1e-9));
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheFirstRecordAndResyncsNothingMore() {
        String zone = Reports.divergedZone();
        String key = "k-" + UUID.randomUUID();
        var first = recover(zone, key).statusCode(200).header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue())
                .body("network_zone", equalTo(zone)).extract();
        String id = first.path("id");
        var again = recover(zone, key).statusCode(200).contentType("application/json")
                .header("Idempotent-Replayed", equalTo("true"))
                .body("id", equalTo(id));
        assertEquals(first.asString(), again.extract().asString(), "the same body, byte for byte");
        again
                .body("memory_resync_attempts[0].version", equalTo(1))
                .body("recovery_score", closeTo(0.5, 1e-9));
        given().when().get("/system/daemon/zones/" + zone + "/events").then().body("total", equalTo(1));
        given().when().get("/system/daemon/zones/" + zone).then()
                .body("replica_states.find { it.assistant_id == 'a4' }.version", equalTo(2))
                .body("cycles", equalTo(1));
        // a new key recovers again
        recover(zone, "k-" + UUID.randomUUID()).statusCode(200).body("id", not(equalTo(id)));
    }

    @Test
    void aRepeatedKeyOfAConvergedAnswerAnswersTheSame() {
        String zone = Reports.newZone();
        Reports.report(zone, "a1", Map.of("x", 0.5));
        String key = "k-" + UUID.randomUUID();
        recover(zone, key).statusCode(200).body("status", equalTo("converged"));
        Reports.report(zone, "a2", Map.of("x", 0.9)); // would need a recovery now, but the key was answered
        recover(zone, key).statusCode(200).body("status", equalTo("converged")).body("network_zone", equalTo(zone));
    }

    @Test
    void aKeyUsedForAnotherZoneIs422AndRecoversNothing() {
        String key = "k-" + UUID.randomUUID();
        String first = Reports.divergedZone();
        String second = Reports.divergedZone();
        recover(first, key).statusCode(200);
        recover(second, key).statusCode(422).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("idempotency-key-reused"))
                .body("title", equalTo("Idempotency Key Reused")).body("status", equalTo(422))
                .body("detail", containsString("different request"));
        given().when().get("/system/daemon/zones/" + second + "/events").then().body("total", equalTo(0));
    }

    @Test
    void unknownZoneIs404AndBadKeyOrZoneIs400() {
        Reports.problem(recover(Reports.newZone(), null), 404, "Not Found");
        String zone = Reports.divergedZone();
        Reports.problem(recover(zone, "k".repeat(201)), 400, "Bad Request")
                .body("violations.field", hasItem(containsString("idempotency")));
        Reports.problem(recover(zone, "k\u00e9y"), 400, "Bad Request")
                .body("violations.message", hasItem(containsString("printable")));
        Reports.problem(recover("z".repeat(151), null), 400, "Bad Request")
                .body("violations.field", hasItem(equalTo("zone")));
        given().when().get("/system/daemon/zones/" + zone + "/events").then().body("total", equalTo(0));
    }
}
