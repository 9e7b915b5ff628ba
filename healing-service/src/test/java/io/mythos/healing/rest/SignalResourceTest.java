package io.mythos.healing.rest;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.post;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.signalsOf;
import static io.mythos.healing.support.Fixtures.problem;
import static io.mythos.healing.support.Fixtures.unique;
import static io.mythos.healing.support.Fixtures.utc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SignalResourceTest {

    @Inject
    Pool pool;

    @Test
    void entropySpikeFiresAnEventWithItsPlannedActions() {
        String a = assistant();
        String node = unique("node");
        String eventId = post(signal(node, a, "entropy_spike", 0.92, null))
                .statusCode(202).contentType(ContentType.JSON)
                .body("accepted", equalTo(1))
                .body("fired", hasSize(1))
                .body("fired[0].node_id", equalTo(node))
                .body("fired[0].triggered_by", equalTo("entropy_spike"))
                .body("fired[0].new", equalTo(true))
                .body("fired[0].event_id", notNullValue())
                .extract().path("fired[0].event_id");

        given().get("/system/health/recovery/" + eventId).then().statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(eventId))
                .body("node_id", equalTo(node))
                .body("assistant_id", equalTo(a))
                .body("triggered_by", equalTo("entropy_spike"))
                .body("status", equalTo("active"))
                .body("occurrences", equalTo(1))
                .body("symbolic_health_delta", nullValue())
                .body("resolved_at", nullValue())
                .body("created_at", utc())
                .body("repair_actions", hasSize(2))
                .body("repair_actions[0].type", equalTo("rebalance_load"))
                .body("repair_actions[0].target", equalTo("g-" + a))
                .body("repair_actions[0].status", equalTo("pending"))
                .body("repair_actions[1].type", equalTo("resync_memory"))
                .body("repair_actions[1].target", equalTo("z-" + a))
                .body("repair_actions[1].status", equalTo("pending"));
    }

    @Test
    void eachTriggerPlansItsActions() {
        String a = assistant();
        String ritualEvent = post("[" + String.join(",", List.of(
                signal("n1-" + a, a, "ritual_failure", null, null),
                signal("n1-" + a, a, "ritual_failure", null, null),
                signal("n1-" + a, a, "ritual_failure", null, null))) + "]")
                .statusCode(202).body("accepted", equalTo(3)).body("fired", hasSize(1))
                .extract().path("fired[0].event_id");
        given().get("/system/health/recovery/" + ritualEvent).then()
                .body("repair_actions.type", equalTo(List.of("spread_rituals")))
                .body("repair_actions[0].target", equalTo(a))
                .body("occurrences", equalTo(1));
        String codexEvent = post(signal("n2-" + a, a, "codex_conflict", null, null)).statusCode(202)
                .extract().path("fired[0].event_id");
        given().get("/system/health/recovery/" + codexEvent).then()
                .body("repair_actions.type", equalTo(List.of("realign_codex")))
                .body("repair_actions[0].target", equalTo("z-" + a));
        String symbolicEvent = post(signal("n3-" + a, a, "symbolic_error", null, null)).statusCode(202)
                .extract().path("fired[0].event_id");
        given().get("/system/health/recovery/" + symbolicEvent).then()
                .body("repair_actions.type", equalTo(List.of("rebalance_load", "resync_memory")));
    }

    @Test
    void signalBelowThresholdIsStoredAndFiresNothing() {
        String a = assistant();
        String node = unique("node");
        post(signal(node, a, "entropy_spike", 0.5, null)).statusCode(202)
                .body("accepted", equalTo(1)).body("fired", hasSize(0));
        assertEquals(1, signalsOf(pool, node));
        given().queryParam("node_id", node).queryParam("status", "all").get("/system/health/recovery")
                .then().body("total", equalTo(0));
    }

    @Test
    void repeatedFiringSignalIsCountedOnTheActiveEvent() {
        String a = assistant();
        String node = unique("node");
        String first = post(signal(node, a, "symbolic_error", null, null)).statusCode(202)
                .body("fired[0].new", equalTo(true)).extract().path("fired[0].event_id");
        post(signal(node, a, "symbolic_error", null, null)).statusCode(202)
                .body("fired[0].new", equalTo(false))
                .body("fired[0].event_id", equalTo(first));
        given().get("/system/health/recovery/" + first).then().body("occurrences", equalTo(2))
                .body("repair_actions", hasSize(2));
    }

    @Test
    void arrayOfSignalsIsStoredAndListsEachEventOnce() {
        String a = assistant();
        String node = unique("node");
        List<String> signals = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            signals.add(signal(node, a, "entropy_spike", 0.9, null));
        }
        signals.add(signal(node, a, "codex_conflict", null, null));
        post("[" + String.join(",", signals) + "]").statusCode(202)
                .body("accepted", equalTo(6))
                .body("fired", hasSize(2))
                .body("fired.triggered_by", hasItem("entropy_spike"))
                .body("fired.triggered_by", hasItem("codex_conflict"))
                .body("fired.new", equalTo(List.of(true, true)));
        assertEquals(6, signalsOf(pool, node));
        given().queryParam("node_id", node).queryParam("triggered_by", "entropy_spike").get("/system/health/recovery")
                .then().body("total", equalTo(1)).body("events[0].occurrences", equalTo(5));
    }

    @Test
    void unknownAssistantIs422AndNothingOfTheRequestIsStored() {
        String a = assistant();
        String node = unique("node");
        String ghost = unique("ghost");
        post("[" + signal(node, a, "symbolic_error", null, null) + "," + signal(node, ghost, "symbolic_error", null, null) + "]")
                .spec(problem(422, "Unknown Reference"))
                .body("detail", containsString(ghost));
        assertEquals(0, signalsOf(pool, node));
        given().queryParam("node_id", node).queryParam("status", "all").get("/system/health/recovery")
                .then().body("total", equalTo(0));
    }

    @Test
    void entropySpikeWithoutValueIs400() {
        String a = assistant();
        String node = unique("node");
        post(signal(node, a, "entropy_spike", null, null)).spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("value"))
                .body("violations[0].message", equalTo("is required for entropy_spike"));
        post("[" + signal(node, a, "symbolic_error", null, null) + "," + signal(node, a, "entropy_spike", null, null) + "]")
                .spec(problem(400, "Bad Request"))
                .body("violations", hasSize(1))
                .body("violations[0].field", equalTo("[1].value"));
        assertEquals(0, signalsOf(pool, node));
    }

    @Test
    void invalidFieldsAre400WithViolations() {
        String a = assistant();
        String node = unique("node");
        post(signal(node, a, "entropy_spike", 1.5, null)).spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("value"));
        post(signal(node, a, "entropy_spike", -0.1, null)).spec(problem(400, "Bad Request")).body("violations[0].field", equalTo("value"));
        post("{\"assistant_id\": \"" + a + "\", \"kind\": \"symbolic_error\"}").spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("node_id"));
        post("{\"node_id\": \"" + node + "\", \"assistant_id\": \"" + a + "\"}").spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("kind"));
        post(signal(node, a, "meltdown", null, null)).spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("kind"))
                .body("violations[0].message", containsString("entropy_spike"));
        post("[" + signal(node, a, "symbolic_error", null, null) + "," + signal(node, a, "meltdown", null, null) + "]")
                .spec(problem(400, "Bad Request")).body("violations[0].field", equalTo("[1].kind"));
        post(signal("x".repeat(151), a, "symbolic_error", null, null)).spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("node_id"));
        post("{\"node_id\": \"" + node + "\", \"assistant_id\": \"" + a + "\", \"kind\": \"entropy_spike\", \"value\": \"high\"}")
                .spec(problem(400, "Bad Request")).body("violations[0].field", equalTo("value"));
        post("{\"node_id\": \"" + node + "\", \"assistant_id\": \"" + a + "\", \"kind\": \"entropy_spike\", \"value\": 1e999}")
                .spec(problem(400, "Bad Request"));
        post(signal(node, a, "symbolic_error", null, "yesterday")).spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("observed_at"));
        post(signal(node, a, "symbolic_error", null, java.time.OffsetDateTime.now().plusMinutes(10).toString()))
                .spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("observed_at"))
                .body("violations[0].message", containsString("future"));
        assertEquals(0, signalsOf(pool, node));
    }

    /** DESIGN.md "Limits and isolation": a timestamp lies in [now - 30 days, now + 5 min]; outside is a 400 that stores nothing. */
    @Test
    void observedAtOutsideThirtyDaysBackAndFiveMinutesAheadIs400() {
        String a = assistant();
        String node = unique("node");
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
        for (String at : java.util.List.of("0001-01-01T00:00:00Z", "-4000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z",
                now.minusDays(30).minusMinutes(1).toString(), now.plusMinutes(6).toString())) {
            post(signal(node, a, "symbolic_error", null, at)).spec(problem(400, "Bad Request"))
                    .body("violations[0].field", equalTo("observed_at"));
        }
        post("[" + signal(node, a, "symbolic_error", null, null) + ","
                + signal(node, a, "symbolic_error", null, now.minusYears(3000).toString()) + "]")
                .spec(problem(400, "Bad Request")).body("violations[0].field", equalTo("[1].observed_at"))
                .body("violations[0].message", containsString("30 days"));
        assertEquals(0, signalsOf(pool, node));
        // the edges themselves are accepted
        post(signal(node, a, "symbolic_error", null, now.minusDays(30).plusMinutes(1).toString())).statusCode(202);
        post(signal(node, a, "symbolic_error", null, now.plusMinutes(4).toString())).statusCode(202);
        assertEquals(2, signalsOf(pool, node));
    }

    @Test
    void malformedOrWrongShapedBodiesAre400() {
        post("{\"node_id\": ").spec(problem(400, "Malformed JSON"));
        post("42").spec(problem(400, "Bad Request")).body("violations[0].field", equalTo("body"));
        post("[]").spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("body"))
                .body("violations[0].message", containsString("1000"));
        post("[null]").spec(problem(400, "Bad Request"));
        given().contentType(ContentType.JSON).post("/system/health/signals").then().spec(problem(400, "Bad Request"));
        given().contentType(ContentType.TEXT).body("x").post("/system/health/signals").then().spec(problem(415, "Unsupported Media Type"));
    }

    @Test
    void moreThanAThousandSignalsIs400AndAThousandIsAccepted() {
        String a = assistant();
        String node = unique("node");
        String one = signal(node, a, "codex_conflict", null, null);
        post("[" + String.join(",", java.util.Collections.nCopies(1001, one)) + "]").spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("body"));
        assertEquals(0, signalsOf(pool, node));
        post("[" + String.join(",", java.util.Collections.nCopies(1000, one)) + "]").statusCode(202)
                .body("accepted", equalTo(1000)).body("fired", hasSize(1));
        assertEquals(1000, signalsOf(pool, node));
    }

    /** A request that would be valid but for its size: 600 signals with long details, over 1 MiB in all. */
    @Test
    void bodyOverOneMebibyteIs413AndNothingIsStored() {
        String a = assistant();
        String node = unique("node");
        String one = "{\"node_id\": \"" + node + "\", \"assistant_id\": \"" + a
                + "\", \"kind\": \"codex_conflict\", \"detail\": \"" + "d".repeat(1900) + "\"}";
        String body = "[" + String.join(",", java.util.Collections.nCopies(600, one)) + "]";
        assertTrue(body.length() > 1024 * 1024, "the body is over the limit");
        post(body).spec(problem(413, "Payload Too Large"))
                .body("detail", containsString("larger than the limit"));
        assertEquals(0, signalsOf(pool, node));
    }

    @Test
    void observedAtIsKeptAndDefaultsToReceipt() {
        String a = assistant();
        String node = unique("node");
        String at = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusDays(3).withNano(0).toString();
        post(signal(node, a, "codex_conflict", null, at)).statusCode(202);
        post(signal(node, a, "codex_conflict", null, null)).statusCode(202);
        assertEquals(1, io.mythos.healing.support.Fixtures.count(pool,
                "SELECT count(*) FROM healing.signal WHERE node_id = $1 AND observed_at = '" + at + "'", node));
        assertEquals(1, io.mythos.healing.support.Fixtures.count(pool,
                "SELECT count(*) FROM healing.signal WHERE node_id = $1 AND observed_at > now() - interval '5 minutes'", node));
    }
}
