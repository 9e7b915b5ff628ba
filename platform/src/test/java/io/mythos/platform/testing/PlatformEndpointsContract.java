package io.mythos.platform.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

import org.junit.jupiter.api.Test;

/**
 * The operator's endpoints, as every service must answer them: readiness bound to the database,
 * liveness, the OpenAPI document and Swagger UI, Prometheus metrics, and problem+json for an unknown
 * route. A service's test extends this (annotated {@code @QuarkusTest}) and names one of its routes.
 */
public abstract class PlatformEndpointsContract {

    /** A route of the service that answers a plain GET with 200. */
    protected abstract String sampleRoute();

    /** A path template the OpenAPI document must list, e.g. {@code /assistants/{assistant_id}}. */
    protected abstract String documentedPath();

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
    void openApiDocumentsTheRoutesAndSwaggerUiIsServed() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths", hasKey(documentedPath()))
                // Swagger UI tells its reader where a local run listens (127.0.0.1 unless told otherwise)
                .body("info.description", containsString("127.0.0.1 only unless MYTHOS_HTTP_HOST"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void prometheusMetricsCountRequests() {
        given().when().get(sampleRoute()).then().statusCode(200);
        given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void unknownRouteIsProblemJson() {
        given().when().get("/no/such/route")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404)).body("type", equalTo("about:blank"));
    }
}
