package io.mythos.daemon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /system/daemon, /zones/{zone} and /zones/{zone}/events. */
@QuarkusTest
class QueryResourceTest {

    @org.junit.jupiter.api.BeforeEach
    void doubles() {
        Reports.useDoubles();
    }

    @Inject
    Pool pool;

    private static String recoverTimes(String zone, int n) {
        String last = null;
        for (int i = 0; i < n; i++) {
            last = given().when().post("/system/daemon/zones/" + zone + "/recover").then().statusCode(200)
                    .extract().path("id");
        }
        return last;
    }

    @Test
    void overviewListsZonesWithTheirShortPathAndRecentEvents() {
        String zone = Reports.divergedZone();
        String lastId = recoverTimes(zone, 2);
        JsonPath body = given().when().get("/system/daemon").then().statusCode(200).contentType("application/json")
                .body("recent_events.size()", lessThanOrEqualTo(20))
                .body("recent_events.id", hasItem(lastId))
                .extract().jsonPath();
        Map<String, Object> z = body.getMap("zones.find { it.zone == '" + zone + "' }");
        assertEquals("recovering", z.get("status")); // 0.1: at the threshold
        assertEquals(0.1, ((Number) z.get("divergence")).doubleValue(), 1e-9);
        assertEquals(4, z.get("replicas"));
        assertEquals(0, z.get("stale_replicas"));
        assertEquals(2, z.get("cycles"));
        assertEquals(0.5, ((Number) z.get("last_recovery_score")).doubleValue(), 1e-9);
        List<Map<String, Object>> path = body.getList("zones.find { it.zone == '" + zone + "' }.convergence");
        assertEquals(2, path.size());
        assertEquals(0.2, ((Number) path.get(0).get("divergence")).doubleValue(), 1e-9);
        assertEquals(0.1, ((Number) path.get(1).get("divergence")).doubleValue(), 1e-9);
        assertTrue(((String) path.get(0).get("at")).matches(Reports.UTC_TIMESTAMP), path.toString());
        List<String> createdAt = body.getList("recent_events.created_at");
        assertTrue(createdAt.stream().allMatch(at -> at.matches(Reports.UTC_TIMESTAMP)), createdAt.toString());
    }

    @Test
    void overviewKeepsTheLast20PointsButTheZoneRouteHasThemAll() {
        String zone = Reports.newZone();
        Reports.report(zone, "a1", Map.of("x", 0.5));
        Reports.report(zone, "a2", Map.of("x", 0.5));
        // an assistant that keeps reporting its outlier value: 22 recoveries, the path stays at 0.25
        for (int i = 0; i < 22; i++) {
            Reports.report(zone, "a3", Map.of("x", 1.0));
            recoverTimes(zone, 1);
        }
        given().when().get("/system/daemon").then().statusCode(200)
                .body("zones.find { it.zone == '" + zone + "' }.convergence", hasSize(20))
                .body("zones.find { it.zone == '" + zone + "' }.cycles", equalTo(22))
                .body("zones.find { it.zone == '" + zone + "' }.status", equalTo("stalled"))
                .body("recent_events", hasSize(20));
        given().when().get("/system/daemon/zones/" + zone).then().statusCode(200)
                .body("convergence", hasSize(22))
                .body("convergence[0].divergence", closeTo(0.25, 1e-9));
    }

    @Test
    void zoneShowsConsensusReplicasAndStaleOnesLeftOut() {
        String zone = Reports.newZone();
        Reports.report(zone, "a1", Map.of("x", 0.2, "y", 0.6));
        Reports.report(zone, "a2", Map.of("x", 0.4));
        Reports.report(zone, "a3", Map.of("x", 0.6, "y", 0.8));
        Reports.report(zone, "old", Map.of("x", 1.0, "y", 1.0));
        pool.preparedQuery("UPDATE recovery.replica SET reported_at = now() - interval '11 minutes'"
                + " WHERE zone = $1 AND assistant_id = 'old'").execute(Tuple.of(zone)).await().atMost(Duration.ofSeconds(10));
        given().when().get("/system/daemon/zones/" + zone).then().statusCode(200).contentType("application/json")
                .body("zone", equalTo(zone))
                .body("replicas", equalTo(4))
                .body("stale_replicas", equalTo(1))
                .body("consensus.x", closeTo(0.4, 1e-9))
                .body("consensus.y", closeTo(0.6, 1e-9))
                .body("convergence", hasSize(0))
                .body("replica_states", hasSize(4))
                .body("replica_states.find { it.assistant_id == 'old' }.stale", equalTo(true))
                .body("replica_states.find { it.assistant_id == 'old' }.divergence", equalTo(null))
                .body("replica_states.find { it.assistant_id == 'a2' }.stale", equalTo(false))
                .body("replica_states.find { it.assistant_id == 'a2' }.divergence", closeTo(0.6, 1e-9))
                .body("replica_states.find { it.assistant_id == 'a2' }.reported_at", matchesPattern(Reports.UTC_TIMESTAMP));
        // the recovery leaves the stale replica alone
        given().when().post("/system/daemon/zones/" + zone + "/recover").then().statusCode(200)
                .body("detected_failure.replicas.assistant_id", equalTo(List.of("a1", "a2", "a3")));
    }

    @Test
    void unknownZoneIs404() {
        String zone = Reports.newZone();
        Reports.problem(given().when().get("/system/daemon/zones/" + zone).then(), 404, "Not Found")
                .body("detail", containsString(zone));
        Reports.problem(given().when().get("/system/daemon/zones/" + zone + "/events").then(), 404, "Not Found")
                .body("detail", containsString(zone));
    }

    @Test
    void eventsAreNewestFirstAndPaged() {
        String zone = Reports.divergedZone();
        String first = recoverTimes(zone, 1);
        String second = recoverTimes(zone, 1);
        String third = recoverTimes(zone, 1);
        given().when().get("/system/daemon/zones/" + zone + "/events").then().statusCode(200)
                .contentType("application/json")
                .body("total", equalTo(3))
                .body("events.id", equalTo(List.of(third, second, first)))
                .body("events[0].network_zone", equalTo(zone))
                .body("events[2].detected_failure.zone_divergence", closeTo(0.4, 1e-9));
        given().queryParam("limit", 1).queryParam("offset", 1)
                .when().get("/system/daemon/zones/" + zone + "/events").then().statusCode(200)
                .body("total", equalTo(3)).body("events.id", equalTo(List.of(second)));
        given().queryParam("offset", 5).when().get("/system/daemon/zones/" + zone + "/events").then()
                .statusCode(200).body("total", equalTo(3)).body("events", hasSize(0));
    }

    @Test
    void badPagingIs400() {
        String zone = Reports.divergedZone();
        for (Map<String, Object> q : List.<Map<String, Object>>of(Map.of("limit", 0), Map.of("limit", 501),
                Map.of("offset", -1), Map.of("limit", "ten"))) {
            Reports.problem(given().queryParams(q).when().get("/system/daemon/zones/" + zone + "/events").then(),
                    400, "Bad Request");
        }
        // the bounds themselves are accepted
        given().when().post("/system/daemon/zones/" + zone + "/recover").then().statusCode(200);
        given().queryParam("limit", 500).queryParam("offset", 0)
                .when().get("/system/daemon/zones/" + zone + "/events").then()
                .statusCode(200).body("total", equalTo(1)).body("events", hasSize(1));
        given().queryParam("limit", 1).when().get("/system/daemon/zones/" + zone + "/events").then()
                .statusCode(200).body("total", equalTo(1)).body("events", hasSize(1));
    }
}
