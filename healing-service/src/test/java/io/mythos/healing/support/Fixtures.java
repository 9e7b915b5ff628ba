package io.mythos.healing.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.restassured.builder.ResponseSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.ResponseSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.hamcrest.Matcher;

/** Test data made by each test for itself (random ids), and small helpers shared by the tests. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A problem+json answer: status, content type, and the body's type, title and status. */
    public static ResponseSpecification problem(int status, String title) {
        return new ResponseSpecBuilder().expectStatusCode(status).expectContentType("application/problem+json")
                .expectBody("type", equalTo("about:blank"))
                .expectBody("title", equalTo(title))
                .expectBody("status", equalTo(status))
                .build();
    }

    /** Timestamps travel in UTC: ISO-8601 with the offset written as Z. */
    public static Matcher<String> utc() {
        return matchesPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** Registers an assistant whose group and zone are derived from its id; answers the id. */
    public static String assistant() {
        String id = unique("a");
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"n\", \"group\": \"g-" + id + "\", \"zone\": \"z-" + id + "\"}")
                .put("/assistants/" + id).then().statusCode(201);
        return id;
    }

    public static String signal(String nodeId, String assistantId, String kind, Double value, String observedAt) {
        return "{\"node_id\": \"" + nodeId + "\", \"assistant_id\": \"" + assistantId + "\", \"kind\": \"" + kind + "\""
                + (value == null ? "" : ", \"value\": " + value)
                + (observedAt == null ? "" : ", \"observed_at\": \"" + observedAt + "\"") + "}";
    }

    public static ValidatableResponse post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/system/health/signals").then();
    }

    public static long count(Pool pool, String sql, Object... args) {
        RowSet<Row> rows = pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(30));
        return rows.iterator().next().getLong(0);
    }

    public static long signalsOf(Pool pool, String nodeId) {
        return count(pool, "SELECT count(*) FROM healing.signal WHERE node_id = $1", nodeId);
    }

    /** Polls until the condition holds; generous, since the machine is shared. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
    }
}
