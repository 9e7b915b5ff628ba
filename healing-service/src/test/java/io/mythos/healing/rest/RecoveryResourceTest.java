package io.mythos.healing.rest;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.post;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.problem;
import static io.mythos.healing.support.Fixtures.unique;
import static io.mythos.healing.support.Fixtures.utc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RecoveryResourceTest {

    private static final String RECOVERY = "/system/health/recovery";

    @Inject
    Pool pool;

    @Test
    void listsActiveEventsNewestFirstWithPagingAndFilters() {
        String a = assistant();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(post(signal("n" + i + "-" + a, a, "symbolic_error", null, null)).statusCode(202)
                    .extract().path("fired[0].event_id"));
        }
        String ended = post(signal("n9-" + a, a, "codex_conflict", null, null)).statusCode(202)
                .extract().path("fired[0].event_id");
        pool.preparedQuery("UPDATE healing.healing_event SET status = 'resolved', resolved_at = now() WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(ended))).await().atMost(Duration.ofSeconds(10));

        given().queryParam("assistant_id", a).get(RECOVERY).then().statusCode(200).contentType(ContentType.JSON)
                .body("total", equalTo(3))
                .body("events.id", equalTo(List.of(ids.get(2), ids.get(1), ids.get(0))))
                .body("events.created_at", everyItem(utc()))
                .body("events[0].repair_actions", hasSize(2));
        given().queryParam("assistant_id", a).queryParam("limit", 1).queryParam("offset", 1).get(RECOVERY).then()
                .body("total", equalTo(3)).body("events.id", equalTo(List.of(ids.get(1))));
        given().queryParam("assistant_id", a).queryParam("status", "resolved").get(RECOVERY).then()
                .body("total", equalTo(1)).body("events[0].id", equalTo(ended))
                .body("events[0].status", equalTo("resolved"))
                .body("events[0].resolved_at", utc());
        given().queryParam("assistant_id", a).queryParam("status", "all").get(RECOVERY).then().body("total", equalTo(4));
        given().queryParam("assistant_id", a).queryParam("status", "failed").get(RECOVERY).then().body("total", equalTo(0))
                .body("events", hasSize(0));
        given().queryParam("assistant_id", a).queryParam("status", "all").queryParam("triggered_by", "codex_conflict")
                .get(RECOVERY).then().body("total", equalTo(1)).body("events[0].id", equalTo(ended));
        given().queryParam("node_id", "n1-" + a).get(RECOVERY).then().body("total", equalTo(1))
                .body("events[0].id", equalTo(ids.get(1)));
    }

    @Test
    void defaultLimitIsFifty() {
        String a = assistant();
        List<String> signals = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            signals.add(signal("n" + i + "-" + a, a, "codex_conflict", null, null));
        }
        post("[" + String.join(",", signals) + "]").statusCode(202).body("fired", hasSize(55));
        given().queryParam("assistant_id", a).get(RECOVERY).then().body("total", equalTo(55)).body("events", hasSize(50));
        given().queryParam("assistant_id", a).queryParam("limit", 500).get(RECOVERY).then().body("events", hasSize(55));
    }

    @Test
    void badFiltersAndPagingAre400() {
        given().queryParam("status", "sleeping").get(RECOVERY).then().spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("status"))
                .body("violations[0].message", containsString("all"));
        given().queryParam("triggered_by", "meltdown").get(RECOVERY).then().spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("triggered_by"));
        given().queryParam("limit", 0).get(RECOVERY).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("limit"));
        given().queryParam("limit", 501).get(RECOVERY).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("limit"));
        given().queryParam("offset", -1).get(RECOVERY).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("offset"));
        given().queryParam("limit", "many").get(RECOVERY).then().spec(problem(400, "Bad Request"));
    }

    @Test
    void unknownEventIs404AndMalformedIdIs400() {
        given().get(RECOVERY + "/" + UUID.randomUUID()).then().spec(problem(404, "Not Found"));
        given().get(RECOVERY + "/not-a-uuid").then().spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("id"));
    }

    @Test
    void deletingTheAssistantDeletesItsEventsAndSignals() {
        String a = assistant();
        String node = unique("node");
        String id = post(signal(node, a, "symbolic_error", null, null)).statusCode(202).extract().path("fired[0].event_id");
        given().delete("/assistants/" + a).then().statusCode(204);
        given().get(RECOVERY + "/" + id).then().statusCode(404);
        org.junit.jupiter.api.Assertions.assertEquals(0, io.mythos.healing.support.Fixtures.signalsOf(pool, node));
    }
}
