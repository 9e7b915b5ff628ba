package io.mythos.healing.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasKey;

import io.mythos.platform.testing.PlatformEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The operator's endpoints (health bound to the database, OpenAPI, Swagger UI, metrics), as the platform defines them. */
@QuarkusTest
class PlatformEndpointsTest extends PlatformEndpointsContract {

    @Override
    protected String sampleRoute() {
        return "/assistants";
    }

    @Override
    protected String documentedPath() {
        return "/assistants/{assistant_id}";
    }

    @Test
    void openApiSchemasAreInSnakeCase() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", containsString("healing-service"))
                .body("components.schemas.Assistant.properties", hasKey("assistant_id"));
    }
}
