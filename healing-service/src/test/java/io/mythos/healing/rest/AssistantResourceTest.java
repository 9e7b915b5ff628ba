package io.mythos.healing.rest;

import static io.mythos.healing.support.Fixtures.problem;
import static io.mythos.healing.support.Fixtures.utc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import io.mythos.platform.testing.AtOnce;
import io.mythos.platform.testing.HangUps;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AssistantResourceTest {

    @Inject
    Pool pool;

    private static String newId() {
        return "a-" + UUID.randomUUID();
    }

    private static String body(String name, String group, String zone) {
        return "{\"name\":\"" + name + "\",\"group\":\"" + group + "\",\"zone\":\"" + zone + "\"}";
    }

    @Test
    void putCreatesThenUpdates() {
        String id = newId();
        String createdAt = given().contentType(ContentType.JSON).body(body("Oracle", "oracles", "zone-a"))
                .when().put("/assistants/" + id)
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", endsWith("/assistants/" + id))
                .body("assistant_id", equalTo(id))
                .body("name", equalTo("Oracle"))
                .body("group", equalTo("oracles"))
                .body("zone", equalTo("zone-a"))
                .body("created_at", utc())
                .extract().path("created_at");

        given().contentType(ContentType.JSON).body(body("Sibyl", "seers", "zone-b"))
                .when().put("/assistants/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Sibyl"))
                .body("group", equalTo("seers"))
                .body("zone", equalTo("zone-b"))
                .body("created_at", equalTo(createdAt));

        given().when().get("/assistants/" + id)
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("assistant_id", equalTo(id))
                .body("name", equalTo("Sibyl"))
                .body("created_at", startsWith(createdAt.substring(0, 19)))
                .body("created_at", utc());
    }

    @Test
    void getUnknownIsProblem404() {
        given().when().get("/assistants/nobody-" + UUID.randomUUID())
                .then().spec(problem(404, "Not Found"))
                .body("detail", containsString("nobody-"));
    }

    @Test
    void listPagesFiltersAndCounts() {
        String group = "g-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body(body("n" + i, group, "z"))
                    .put("/assistants/" + group + "-" + i).then().statusCode(201);
        }
        given().queryParam("group", group).queryParam("limit", 2).queryParam("offset", 1)
                .when().get("/assistants")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("total", equalTo(3))
                .body("assistants", hasSize(2))
                .body("assistants[0].assistant_id", equalTo(group + "-1"))
                .body("assistants[1].assistant_id", equalTo(group + "-2"));
        given().queryParam("group", group).queryParam("zone", "other")
                .when().get("/assistants")
                .then().statusCode(200).body("total", equalTo(0)).body("assistants", hasSize(0));
    }

    @Test
    void listRejectsBadPaging() {
        given().queryParam("limit", 0).when().get("/assistants")
                .then().spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("limit"));
        given().queryParam("limit", 501).when().get("/assistants")
                .then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("limit"));
        given().queryParam("offset", -1).when().get("/assistants")
                .then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("offset"));
        given().queryParam("limit", "ten").when().get("/assistants")
                .then().spec(problem(400, "Bad Request"));
    }

    @Test
    void deleteCascadesToHealingEvents() {
        String id = newId();
        given().contentType(ContentType.JSON).body(body("Doomed", "g", "z")).put("/assistants/" + id)
                .then().statusCode(201);
        UUID event = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO healing.healing_event (id, node_id, triggered_by, assistant_id) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(event, "node-1", "entropy_spike", id)).await().indefinitely();

        given().when().delete("/assistants/" + id).then().statusCode(204);

        assertEquals(0, countEvents(event));
        given().when().get("/assistants/" + id).then().statusCode(404);
        given().when().delete("/assistants/" + id)
                .then().spec(problem(404, "Not Found"));
    }

    private long countEvents(UUID id) {
        return pool.preparedQuery("SELECT count(*) FROM healing.healing_event WHERE id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next().getLong(0);
    }

    /**
     * Three times as many registry writes at once as the pool has connections all succeed: each write holds
     * one connection. A Hibernate Reactive session opened around them (a class-level @WithSession on the
     * repository) held a second one, so 12 writes at once each held one connection and waited for another
     * until the acquire timeout: 503s, and now and then a connection lost to the pool for good.
     */
    @Test
    void moreConcurrentWritesThanPooledConnectionsAllSucceed() throws Exception {
        int n = 3 * HangUps.poolSize();
        String prefix = newId();
        assertEquals(List.of(201), statuses(n, i -> () -> given().contentType(ContentType.JSON).body(body("n", "g", "z"))
                .put("/assistants/" + prefix + "-" + i).statusCode()));
        assertEquals(List.of(204), statuses(n, i -> () -> given().delete("/assistants/" + prefix + "-" + i).statusCode()));
    }

    /** Runs n calls at once; answers their distinct statuses. */
    private static List<Integer> statuses(int n, IntFunction<Callable<Integer>> call) throws Exception {
        return AtOnce.run(n, call).stream().distinct().toList();
    }

    @Test
    void malformedJsonIs400() {
        String id = newId();
        given().contentType(ContentType.JSON).body("{\"name\": \"x\", ")
                .when().put("/assistants/" + id)
                .then().spec(problem(400, "Malformed JSON"));
        assertNotStored(id);
    }

    @Test
    void wrongTypeIs400WithViolation() {
        String id = newId();
        given().contentType(ContentType.JSON).body("{\"name\": 12, \"group\": \"g\", \"zone\": \"z\"}")
                .when().put("/assistants/" + id)
                .then().spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("name"))
                .body("violations[0].message", containsString("string"));
        given().contentType(ContentType.JSON).body("[1, 2]")
                .when().put("/assistants/" + id)
                .then().spec(problem(400, "Bad Request"));
        assertNotStored(id);
    }

    @Test
    void missingAndBlankFieldsAre400WithViolations() {
        String id = newId();
        given().contentType(ContentType.JSON).body("{\"name\": \"  \"}")
                .when().put("/assistants/" + id)
                .then().spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("name"))
                .body("violations.field", hasItem("group"))
                .body("violations.field", hasItem("zone"))
                .body("violations", hasSize(3));
        given().contentType(ContentType.JSON)
                .when().put("/assistants/" + id)
                .then().spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("body"));
        assertNotStored(id);
    }

    @Test
    void overLongStringsAre400() {
        String id = newId();
        given().contentType(ContentType.JSON).body(body("x".repeat(151), "g", "z"))
                .when().put("/assistants/" + id)
                .then().spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("name"))
                .body("violations[0].message", containsString("150"));
        given().contentType(ContentType.JSON).body(body("n", "g", "z"))
                .when().put("/assistants/" + "i".repeat(151))
                .then().spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("assistant_id"));
        assertNotStored(id);
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        String id = newId();
        given().contentType(ContentType.JSON).body(body("x".repeat(1_100_000), "g", "z"))
                .when().put("/assistants/" + id)
                .then().spec(problem(413, "Payload Too Large"));
        assertNotStored(id);
    }

    @Test
    void unsupportedMediaTypeIs415() {
        String id = newId();
        given().contentType(ContentType.TEXT).body("name=x")
                .when().put("/assistants/" + id)
                .then().spec(problem(415, "Unsupported Media Type"));
        assertNotStored(id);
    }

    @Test
    void wrongMethodIs405AndUnknownRouteIs404() {
        given().contentType(ContentType.JSON).body("{}").when().post("/assistants/x")
                .then().spec(problem(405, "Method Not Allowed"));
        given().when().get("/no/such/route")
                .then().spec(problem(404, "Not Found"));
    }

    @Test
    void nulInTheUriIs400() {
        given().urlEncodingEnabled(false).when().get("/assistants/a%00b")
                .then().spec(problem(400, "Bad Request"))
                .body("detail", containsString("NUL"));
        given().queryParam("group", "g\u0000").when().get("/assistants")
                .then().spec(problem(400, "Bad Request"));
    }

    private static void assertNotStored(String id) {
        given().when().get("/assistants/" + id).then().statusCode(404);
    }
}
