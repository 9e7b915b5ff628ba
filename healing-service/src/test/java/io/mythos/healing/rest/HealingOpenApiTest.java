package io.mythos.healing.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The engine's routes and wire types are in the OpenAPI document, in snake_case. */
@QuarkusTest
class HealingOpenApiTest {

    @Test
    void documentsTheEngineRoutes() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/system/health/signals"))
                .body("paths", hasKey("/system/health/rules"))
                .body("paths", hasKey("/system/health/rules/{kind}"))
                .body("paths", hasKey("/system/health/recovery"))
                .body("paths", hasKey("/system/health/recovery/{id}"))
                .body("components.schemas.HealingEvent.properties", hasKey("symbolic_health_delta"))
                .body("components.schemas.RepairAction.properties", hasKey("last_error"))
                .body("components.schemas.Signal.properties", hasKey("observed_at"));
    }
}
