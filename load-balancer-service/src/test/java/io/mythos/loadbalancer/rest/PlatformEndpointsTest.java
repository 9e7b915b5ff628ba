package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The operator's endpoints of the load-balancer-service: health bound to the database, OpenAPI, metrics. */
@QuarkusTest
class PlatformEndpointsTest {

    @Test
    void readyWhileTheDatabaseAnswersAndLive() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiSwaggerAndMetrics() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).body("info.title", containsString("load-balancer-service"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void unknownRouteIsProblemJson() {
        given().when().get("/no/such/route")
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }
}
