package io.mythos.daemon.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Test data (replica reports through the public route, in zones of their own) and answer checks. */
public final class Reports {

    /** An ISO-8601 timestamp in UTC, as every timestamp the daemon answers: {@code 2026-11-26T01:40:00.123456Z}. */
    public static final String UTC_TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z";

    private Reports() {
    }

    /** Numbers in bodies as doubles (REST-assured's default is float), so closeTo compares exactly. */
    public static void useDoubles() {
        RestAssured.config = RestAssured.config().jsonConfig(
                JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    /** The answer is a problem+json of that status and title, with the problem type every error of ours has. */
    public static ValidatableResponse problem(ValidatableResponse answer, int status, String title) {
        return answer.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("about:blank")).body("title", equalTo(title)).body("status", equalTo(status));
    }

    public static String newZone() {
        return "z-" + UUID.randomUUID();
    }

    /** Reports the replica and answers its version. */
    public static long report(String zone, String assistantId, Map<String, Double> beliefs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("assistant_id", assistantId);
        body.put("beliefs", beliefs);
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/system/daemon/zones/" + zone + "/beliefs")
                .then().statusCode(200).extract().jsonPath().getLong("version");
    }

    /** Three replicas agreeing on x = 0.5 and an outlier a4 at x = 0.9: zone divergence 0.4. */
    public static String divergedZone() {
        String zone = newZone();
        report(zone, "a1", Map.of("x", 0.5));
        report(zone, "a2", Map.of("x", 0.5));
        report(zone, "a3", Map.of("x", 0.5));
        report(zone, "a4", Map.of("x", 0.9));
        return zone;
    }
}
