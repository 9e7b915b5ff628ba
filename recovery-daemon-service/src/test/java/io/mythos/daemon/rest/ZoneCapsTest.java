package io.mythos.daemon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.platform.testing.AtOnce;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Limits and isolation": per-zone caps (here 3 replicas and 5 distinct belief names), a report
 * beyond them is a 422 naming the cap, and nothing of it is stored. The profile also sends every zone's
 * figures through the worker-thread path (offload-values 1), so the reports, reads and recoveries here
 * prove that path gives the same answers.
 */
@QuarkusTest
@TestProfile(ZoneCapsTest.SmallCaps.class)
class ZoneCapsTest {

    public static class SmallCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mythos.daemon.max-replicas-per-zone", "3", "mythos.daemon.max-beliefs-per-zone", "5",
                    "mythos.daemon.offload-values", "1");
        }
    }

    @org.junit.jupiter.api.BeforeEach
    void doubles() {
        Reports.useDoubles();
    }

    private static ValidatableResponse post(String zone, String assistant, Map<String, Double> beliefs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("assistant_id", assistant);
        body.put("beliefs", beliefs);
        return given().contentType(ContentType.JSON).body(body).when().post("/system/daemon/zones/" + zone + "/beliefs").then();
    }

    @Test
    void aFourthReplicaIsRefusedWith422NamingTheCap() {
        String zone = Reports.newZone();
        Reports.report(zone, "a1", Map.of("x", 0.5));
        Reports.report(zone, "a2", Map.of("x", 0.5));
        Reports.report(zone, "a3", Map.of("x", 0.9));

        Reports.problem(post(zone, "a4", Map.of("x", 0.5)), 422, "Zone Cap Exceeded")
                .body("detail", containsString("3 replicas per zone"));
        // nothing stored: still three replicas; a known replica may still report
        given().get("/system/daemon/zones/" + zone).then().statusCode(200).body("replicas", equalTo(3));
        Reports.report(zone, "a3", Map.of("x", 0.5));
        given().get("/system/daemon/zones/" + zone).then().statusCode(200)
                .body("consensus.x", closeTo(0.5, 1e-9)).body("divergence", closeTo(0.0, 1e-9));
    }

    @Test
    void aReportBringingTooManyDistinctBeliefsIsRefusedWith422NamingTheCap() {
        String zone = Reports.newZone();
        Reports.report(zone, "a1", Map.of("b1", 0.5, "b2", 0.5, "b3", 0.5));
        Reports.report(zone, "a2", Map.of("b1", 0.5, "b4", 0.5));

        Reports.problem(post(zone, "a3", Map.of("b5", 0.1, "b6", 0.2)), 422, "Zone Cap Exceeded")
                .body("detail", containsString("5 distinct beliefs per zone"));
        // a replica's update that would pass the cap is refused too, and its previous beliefs stay
        Reports.problem(post(zone, "a1", Map.of("b5", 0.5, "b6", 0.5, "b7", 0.5, "b8", 0.5)), 422, "Zone Cap Exceeded");
        given().get("/system/daemon/zones/" + zone).then().statusCode(200)
                .body("replicas", equalTo(2)).body("consensus.b3", closeTo(0.25, 1e-9));
        // up to the cap is fine
        Reports.report(zone, "a3", Map.of("b5", 0.1));
        given().post("/system/daemon/zones/" + zone + "/recover").then().statusCode(equalTo(200));
    }

    /**
     * The known gap of the first version of the caps: reports of new replicas committing at the same instant
     * each passed the check. Ten first reports of a new zone at once (distinct replicas): exactly the cap (3)
     * stored, the other seven a 422 naming it, no 5xx; several zones, so that a lucky interleaving cannot pass.
     */
    @Test
    void concurrentFirstReportsOfANewZoneStopExactlyAtTheReplicaCap() throws Exception {
        for (int round = 0; round < 3; round++) {
            String zone = Reports.newZone();
            List<Response> answers = concurrently(zone, 10, i -> Map.of("x", 0.1 * i));
            assertOnly(answers, 3, "3 replicas per zone");
            given().get("/system/daemon/zones/" + zone).then().statusCode(200).body("replicas", equalTo(3));
        }
    }

    /** The same for the belief cap (5): each report brings two names of its own, so only the first two fit. */
    @Test
    void concurrentFirstReportsOfANewZoneStopExactlyAtTheBeliefCap() throws Exception {
        for (int round = 0; round < 3; round++) {
            String zone = Reports.newZone();
            List<Response> answers = concurrently(zone, 10, i -> Map.of("p" + i, 0.5, "q" + i, 0.5));
            assertOnly(answers, 2, "5 distinct beliefs per zone");
            given().get("/system/daemon/zones/" + zone).then().statusCode(200).body("replicas", equalTo(2))
                    .body("consensus.size()", equalTo(4));
        }
    }

    /** {@code n} reports of replicas r0..r(n-1) of the zone, all released at once, each on its own connection. */
    private static List<Response> concurrently(String zone, int n, IntFunction<Map<String, Double>> beliefs)
            throws Exception {
        return AtOnce.run(n, i -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("assistant_id", "r" + i);
            body.put("beliefs", beliefs.apply(i));
            return () -> given().contentType(ContentType.JSON).body(body).post("/system/daemon/zones/" + zone + "/beliefs").andReturn();
        });
    }

    private static void assertOnly(List<Response> answers, int stored, String cap) {
        int ok = 0;
        for (Response a : answers) {
            if (a.statusCode() == 200) {
                ok++;
            } else {
                assertEquals(422, a.statusCode(), a.asString());
                assertTrue(a.jsonPath().getString("detail").contains(cap), a.asString());
            }
        }
        assertEquals(stored, ok, "reports stored");
    }
}
