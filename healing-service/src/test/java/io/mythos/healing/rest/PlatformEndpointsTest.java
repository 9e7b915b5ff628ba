package io.mythos.healing.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health, OpenAPI, Swagger UI and metrics, as a platform operator uses them. */
@QuarkusTest
class PlatformEndpointsTest {

    @Test
    void readyWhileTheDatabaseAnswers() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    @Test
    void live() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiDocumentsTheRoutesInSnakeCase() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/assistants/{assistant_id}"))
                .body("components.schemas.Assistant.properties", org.hamcrest.Matchers.hasKey("assistant_id"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void prometheusMetrics() {
        given().when().get("/assistants");
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"));
    }
}
