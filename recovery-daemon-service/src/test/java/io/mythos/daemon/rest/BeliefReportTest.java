package io.mythos.daemon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** POST /system/daemon/zones/{zone}/beliefs: versioned upserts and every validation error. */
@QuarkusTest
class BeliefReportTest {

    @org.junit.jupiter.api.BeforeEach
    void doubles() {
        Reports.useDoubles();
    }

    private static ValidatableResponse post(String zone, String json) {
        return given().contentType(ContentType.JSON).body(json)
                .when().post("/system/daemon/zones/" + zone + "/beliefs").then();
    }

    private static void rejected(String zone, String json, String field) {
        Reports.problem(post(zone, json), 400, "Bad Request").body("violations.field", hasItem(containsString(field)));
        given().when().get("/system/daemon/zones/" + zone).then().statusCode(404); // nothing stored
    }

    @Test
    void aReportIsStoredAndItsVersionGrows() {
        String zone = Reports.newZone();
        post(zone, "{\"assistant_id\":\"a1\",\"beliefs\":{\"sky_is_blue\":0.9,\"water_is_wet\":1}}")
                .statusCode(200).contentType(ContentType.JSON)
                .body("zone", equalTo(zone)).body("assistant_id", equalTo("a1")).body("version", equalTo(1));
        post(zone, "{\"assistant_id\":\"a1\",\"beliefs\":{\"sky_is_blue\":0.4}}")
                .statusCode(200).body("version", equalTo(2));
        post(zone, "{\"assistant_id\":\"a2\",\"beliefs\":{\"sky_is_blue\":0.4}}")
                .statusCode(200).body("version", equalTo(1));
        // the second report replaced a1's beliefs: water_is_wet is gone from the zone
        given().when().get("/system/daemon/zones/" + zone).then().statusCode(200)
                .body("consensus", not(hasKey("water_is_wet")))
                .body("consensus.sky_is_blue", closeTo(0.4, 1e-9))
                .body("replicas", equalTo(2))
                .body("status", equalTo("converged"))
                .body("divergence", closeTo(0.0, 1e-9));
    }

    @Test
    void aDivergingReportMarksTheZoneDiverged() {
        String zone = Reports.divergedZone();
        given().when().get("/system/daemon/zones/" + zone).then().statusCode(200)
                .body("status", equalTo("diverged")).body("divergence", closeTo(0.4, 1e-9));
    }

    @Test
    void boundsOfTheBeliefMapAreAccepted() {
        String zone = Reports.newZone();
        StringBuilder sb = new StringBuilder("{\"assistant_id\":\"" + "a".repeat(150) + "\",\"beliefs\":{");
        for (int i = 0; i < 1000; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(i == 0 ? "b".repeat(150) : "b" + i).append("\":")
                    .append(i % 2 == 0 ? "0" : "1.0");
        }
        post(zone, sb.append("}}").toString()).statusCode(200).body("version", equalTo(1));
    }

    @Test
    void invalidReportsAre400AndStoreNothing() {
        rejected(Reports.newZone(), "{\"assistant_id\":\"a1\",\"beliefs\":{}}", "beliefs");
        rejected(Reports.newZone(), "{\"assistant_id\":\"a1\"}", "beliefs");
        rejected(Reports.newZone(), "{\"beliefs\":{\"x\":0.5}}", "assistant_id");
        rejected(Reports.newZone(), "{\"assistant_id\":\"\",\"beliefs\":{\"x\":0.5}}", "assistant_id");
        rejected(Reports.newZone(), "{\"assistant_id\":\"" + "a".repeat(151) + "\",\"beliefs\":{\"x\":0.5}}",
                "assistant_id");
        rejected(Reports.newZone(), "{\"assistant_id\":\"a1\",\"beliefs\":{\"x\":1.5}}", "beliefs");
        rejected(Reports.newZone(), "{\"assistant_id\":\"a1\",\"beliefs\":{\"x\":-0.1}}", "beliefs");
        rejected(Reports.newZone(), "{\"assistant_id\":\"a1\",\"beliefs\":{\"x\":null}}", "beliefs");
        rejected(Reports.newZone(), "{\"assistant_id\":\"a1\",\"beliefs\":{\"x\":1e999}}", "beliefs");
        rejected(Reports.newZone(), "{\"assistant_id\":\"a1\",\"beliefs\":{\"x\":\"0.5\"}}", "beliefs");
        rejected(Reports.newZone(), "{\"assistant_id\":\"a1\",\"beliefs\":{\"\":0.5}}", "beliefs");
        rejected(Reports.newZone(), "{\"assistant_id\":\"a1\",\"beliefs\":{\"" + "b".repeat(151) + "\":0.5}}",
                "beliefs");
        StringBuilder tooMany = new StringBuilder("{\"assistant_id\":\"a1\",\"beliefs\":{");
        for (int i = 0; i < 1001; i++) {
            tooMany.append(i == 0 ? "" : ",").append("\"b").append(i).append("\":0.5");
        }
        rejected(Reports.newZone(), tooMany.append("}}").toString(), "beliefs");
    }

    @Test
    void malformedBodiesAndZonesAre400() {
        String zone = Reports.newZone();
        Reports.problem(post(zone, "{\"assistant_id\":\"a1\",\"beliefs\":"), 400, "Malformed JSON");
        Reports.problem(post(zone, "[]"), 400, "Bad Request").body("violations.field", hasItem(equalTo("body")));
        Reports.problem(given().contentType(ContentType.JSON).when().post("/system/daemon/zones/" + zone + "/beliefs")
                .then(), 400, "Bad Request");
        Reports.problem(post("z".repeat(151), "{\"assistant_id\":\"a1\",\"beliefs\":{\"x\":0.5}}"), 400, "Bad Request")
                .body("violations.field", hasItem(equalTo("zone")));
        given().when().get("/system/daemon/zones/" + zone).then().statusCode(404);
    }

    @Test
    void aBodyOverTheLimitIs413AndStoresNothing() {
        String zone = Reports.newZone();
        String big = "{\"assistant_id\":\"a1\",\"beliefs\":{\"" + "b".repeat(1_100_000) + "\":0.5}}";
        Reports.problem(post(zone, big), 413, "Payload Too Large").body("detail", containsString("limit"));
        given().when().get("/system/daemon/zones/" + zone).then().statusCode(404);
    }
}
