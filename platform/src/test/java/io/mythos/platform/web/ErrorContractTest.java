package io.mythos.platform.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** The error classes of DESIGN.md, through the platform mapping that all three services share. */
@QuarkusTest
class ErrorContractTest {

    private static ValidatableResponse post(String json) {
        return given().contentType(ContentType.JSON).body(json).when().post("/test/probe").then();
    }

    private static ValidatableResponse problem(String json, int status) {
        return post(json).statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
    }

    @Test
    void validBodyPassesWithSnakeCaseAndLowerCaseEnums() {
        post("{\"kind\": \"entropy_spike\", \"pressure\": 2, \"beliefs\": {\"b\": 0.5}}")
                .statusCode(200).contentType(ContentType.JSON)
                .body("kind", equalTo("entropy_spike"))
                .body("pressure", equalTo(2.0f));
    }

    @Test
    void unknownEnumValueIs400ListingTheValues() {
        problem("{\"kind\": \"meltdown\", \"pressure\": 1}", 400)
                .body("violations[0].field", equalTo("kind"))
                .body("violations[0].message", containsString("entropy_spike"));
    }

    @Test
    void nanAndInfinityAre400() {
        problem("{\"kind\": \"entropy_spike\", \"pressure\": NaN}", 400);
        problem("{\"kind\": \"entropy_spike\", \"pressure\": Infinity}", 400);
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1e999}", 400)
                .body("violations[0].field", equalTo("pressure"))
                .body("violations[0].message", containsString("finite"));
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"beliefs\": {\"b\": -1e400}}", 400)
                .body("violations[0].field", equalTo("beliefs.b"));
    }

    @Test
    void wrongScalarTypesAre400() {
        problem("{\"kind\": \"entropy_spike\", \"pressure\": \"1.0\"}", 400)
                .body("violations[0].field", equalTo("pressure"));
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"count\": 1.5}", 400)
                .body("violations[0].field", equalTo("count"));
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"flag\": \"yes\"}", 400)
                .body("violations[0].field", equalTo("flag"));
        problem("{\"kind\": 3, \"pressure\": 1}", 400)
                .body("violations[0].field", equalTo("kind"));
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"items\": {\"name\": \"x\"}}", 400)
                .body("violations[0].field", equalTo("items"));
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"at\": 12345}", 400)
                .body("violations[0].field", equalTo("at"));
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"at\": \"yesterday\"}", 400)
                .body("violations[0].field", equalTo("at"));
        post("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"at\": \"2026-11-26T01:02:03.5+01:00\"}")
                .statusCode(200).body("at", equalTo("2026-11-26T00:02:03.5Z")); // read in any offset, answered in UTC
    }

    @Test
    void outOfRangeAndNestedMissingFieldsAre400() {
        problem("{\"kind\": \"entropy_spike\", \"pressure\": -1}", 400)
                .body("violations[0].field", equalTo("pressure"));
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"items\": [{\"name\": \"a\"}, {}]}", 400)
                .body("violations.field", hasItem("items[1].name"));
        problem("{\"pressure\": 1}", 400)
                .body("violations.field", hasItem("kind"));
    }

    @Test
    void truncatedAndTrailingJsonAre400() {
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1", 400).body("title", equalTo("Malformed JSON"));
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1} {}", 400);
        problem("", 400);
    }

    @Test
    void nulCharactersAre400InValuesAndKeys() {
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"items\": [{\"name\": \"a\\u0000b\"}]}", 400)
                .body("violations[0].field", equalTo("items[0].name"))
                .body("violations[0].message", containsString("NUL"));
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"beliefs\": {\"a\\u0000\": 0.5}}", 400)
                .body("violations[0].message", containsString("NUL"));
    }

    @Test
    void unknownReferenceIs422() {
        problem("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"items\": [{\"name\": \"ghost\"}]}", 422)
                .body("title", equalTo("Unknown Reference"))
                .body("detail", containsString("ghost"));
    }

    @Test
    void everyProblemHasTypeTitleStatusAndDetail() {
        problem("{\"pressure\": 1}", 400)
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Bad Request"))
                .body("detail", containsString("kind"));
    }

    @Test
    void unknownIdIs404AndConflictIs409() {
        given().when().get("/test/probe/items/nope").then().statusCode(404).contentType("application/problem+json")
                .body("title", equalTo("Not Found")).body("detail", containsString("nope"));
        given().when().get("/test/probe/items/held").then().statusCode(409).contentType("application/problem+json")
                .body("title", equalTo("Conflict"));
    }

    @Test
    void invalidQueryParametersAre400NamingTheParameter() {
        given().queryParam("limit", 0).when().get("/test/probe/items/x").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("limit"));
        given().queryParam("limit", "many").when().get("/test/probe/items/x").then().statusCode(400)
                .contentType("application/problem+json");
        given().queryParam("kind", "meltdown").when().get("/test/probe/items/x").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("kind"))
                .body("violations[0].message", containsString("codex_conflict"));
    }

    @Test
    void unknownRouteWrongMethodAndMediaTypeAreProblems() {
        given().when().get("/no/such/route").then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("title", equalTo("Not Found"));
        given().when().delete("/test/probe").then().statusCode(405).contentType("application/problem+json")
                .body("title", equalTo("Method Not Allowed"));
        given().contentType("text/plain").body("kind=entropy_spike").when().post("/test/probe").then()
                .statusCode(415).contentType("application/problem+json").body("title", equalTo("Unsupported Media Type"));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"kind\": \"entropy_spike\", \"pressure\": 1, \"items\": [{\"name\": \"" + "x".repeat(1_100_000) + "\"}]}";
        post(big).statusCode(413).contentType("application/problem+json").body("title", equalTo("Payload Too Large"));
    }

    /** A chunked body announces no length: over the limit it is the same 413 problem as a sized one. */
    @Test
    void chunkedBodyOverTheLimitIs413ProblemToo() throws Exception {
        byte[] big = ("{\"kind\": \"entropy_spike\", \"pressure\": 1, \"items\": [{\"name\": \"" + "x".repeat(1_100_000) + "\"}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> res = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(probe).header("Content-Type", "application/json")
                        .header("Authorization", io.mythos.platform.testing.TestTokens.authorization())
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        org.junit.jupiter.api.Assertions.assertEquals(413, res.statusCode(), res.body());
        org.junit.jupiter.api.Assertions.assertEquals("application/problem+json", res.headers().firstValue("Content-Type").orElse(""));
        io.vertx.core.json.JsonObject problem = new io.vertx.core.json.JsonObject(res.body());
        org.junit.jupiter.api.Assertions.assertEquals("Payload Too Large", problem.getString("title"));
        org.junit.jupiter.api.Assertions.assertEquals(413, problem.getInteger("status"));
        org.junit.jupiter.api.Assertions.assertEquals("about:blank", problem.getString("type"));
        // and a chunked body under the limit is read as usual
        byte[] small = "{\"kind\": \"entropy_spike\", \"pressure\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> ok = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(probe).header("Content-Type", "application/json")
                        .header("Authorization", io.mythos.platform.testing.TestTokens.authorization())
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(small)))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        org.junit.jupiter.api.Assertions.assertEquals(200, ok.statusCode(), ok.body());
    }

    @io.quarkus.test.common.http.TestHTTPResource("/test/probe")
    java.net.URI probe;

    @Test
    void nulInTheUriIs400() {
        given().urlEncodingEnabled(false).when().get("/test/probe/items/a%00b").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("NUL"));
    }

    @Test
    void aBugIs500WithAnIdAndNoInternals() {
        given().when().get("/test/probe/bug").then().statusCode(500).contentType("application/problem+json")
                .body("title", equalTo("Internal Server Error"))
                .body("detail", containsString("logged with id"))
                .body("detail", not(containsString("secret-host")))
                .body("detail", not(containsString("IllegalStateException")));
    }

    @Test
    void anUnreachableDatabaseIs503WithRetryAfter() {
        given().when().get("/test/probe/database-down").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("title", equalTo("Service Unavailable"))
                .body("detail", not(containsString("db-host")));
    }
}
