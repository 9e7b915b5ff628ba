package io.mythos.healing.rest;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.count;
import static io.mythos.healing.support.Fixtures.problem;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;
import static io.mythos.healing.support.Fixtures.utc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.healing.support.Fixtures;
import io.mythos.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Contract of the remediation-safety routes (silences, resolve, storm release, stats, audit) and of the
 * event lifecycle they drive, against the real database. The scheduler is off and no peer answers, so
 * every pending action stays pending: what is held or silenced here is the guards' doing.
 */
@QuarkusTest
class RemediationSafetyResourceTest {

    private static final String SILENCES = "/system/health/silences";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    private static String in(Duration d) {
        return OffsetDateTime.now(ZoneOffset.UTC).plus(d).toString();
    }

    private static String silenceBody(String matchers, String startsAt, String endsAt, String comment) {
        return "{\"matchers\": " + matchers + (startsAt == null ? "" : ", \"starts_at\": \"" + startsAt + "\"")
                + (endsAt == null ? "" : ", \"ends_at\": \"" + endsAt + "\"")
                + (comment == null ? "" : ", \"comment\": \"" + comment + "\"") + "}";
    }

    private static String createSilence(String matchers, Duration length) {
        return given().contentType(ContentType.JSON).body(silenceBody(matchers, null, in(length), "maintenance"))
                .post(SILENCES).then().statusCode(201).extract().path("id");
    }

    private static String fire(String node, String a, String kind) {
        return Fixtures.post(signal(node, a, kind, kind.equals("entropy_spike") ? 0.9 : null, null))
                .statusCode(202).body("fired", hasSize(1)).extract().path("fired[0].event_id");
    }

    // ---- silences --------------------------------------------------------------------------------------

    @Test
    void aSilenceIsCreatedListedReadAndDeleted() {
        String node = unique("node");
        String location = given().contentType(ContentType.JSON)
                .body(silenceBody("{\"node_id\": \"" + node + "\", \"triggered_by\": \"entropy_spike\"}", null,
                        in(Duration.ofHours(1)), "kernel upgrade"))
                .post(SILENCES).then().statusCode(201).contentType(ContentType.JSON)
                .body("id", notNullValue())
                .body("matchers.node_id", equalTo(node))
                .body("matchers.triggered_by", equalTo("entropy_spike"))
                .body("matchers", not(hasKey("group")))
                .body("comment", equalTo("kernel upgrade"))
                .body("state", equalTo("active"))
                .body("created_by", equalTo("test-operator"))
                .body("starts_at", utc()).body("ends_at", utc()).body("created_at", utc())
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        org.hamcrest.MatcherAssert.assertThat(location, endsWith(SILENCES + "/" + id));

        given().queryParam("limit", 500).get(SILENCES).then().statusCode(200)
                .body("silences.id", hasItem(id)).body("total", greaterThanOrEqualTo(1));
        given().get(SILENCES + "/" + id).then().statusCode(200).body("matchers.node_id", equalTo(node));

        given().delete(SILENCES + "/" + id).then().statusCode(204);
        given().get(SILENCES + "/" + id).then().spec(problem(404, "Not Found"));
        given().delete(SILENCES + "/" + id).then().spec(problem(404, "Not Found"));
        given().queryParam("limit", 500).get(SILENCES).then().statusCode(200).body("silences.id", not(hasItem(id)));

        given().queryParam("action", "silence.create").queryParam("limit", 500).get("/system/health/audit").then()
                .statusCode(200).body("entries.find { it.target == '" + id + "' }.subject", equalTo("test-operator"))
                .body("entries.find { it.target == '" + id + "' }.detail.node_id", equalTo(node));
        given().queryParam("action", "silence.delete").queryParam("limit", 500).get("/system/health/audit").then()
                .statusCode(200).body("entries.target", hasItem(id));
    }

    @Test
    void aFutureSilenceIsListedAsFuture() {
        String id = given().contentType(ContentType.JSON)
                .body(silenceBody("{\"group\": \"" + unique("g") + "\"}", in(Duration.ofHours(1)), in(Duration.ofHours(2)), "later"))
                .post(SILENCES).then().statusCode(201).body("state", equalTo("future")).extract().path("id");
        given().get(SILENCES + "/" + id).then().statusCode(200).body("state", equalTo("future"));
    }

    @Test
    void invalidSilencesAreRejectedAndNothingIsStored() {
        long before = count(pool, "SELECT count(*) FROM healing.silence");
        String later = in(Duration.ofHours(1));
        given().contentType(ContentType.JSON).body(silenceBody("{}", null, later, "c")).post(SILENCES)
                .then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("matchers"));
        given().contentType(ContentType.JSON).body(silenceBody(null, null, later, "c")).post(SILENCES)
                .then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("matchers"));
        given().contentType(ContentType.JSON).body(silenceBody("{\"node_id\": \"n\"}", null, null, "c")).post(SILENCES)
                .then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("ends_at"));
        given().contentType(ContentType.JSON).body(silenceBody("{\"node_id\": \"n\"}", null, later, null)).post(SILENCES)
                .then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("comment"));
        given().contentType(ContentType.JSON).body(silenceBody("{\"node_id\": \"n\"}", null, later, " ")).post(SILENCES)
                .then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("comment"));
        given().contentType(ContentType.JSON).body(silenceBody("{\"node_id\": \"n\"}", null, in(Duration.ofMinutes(-1)), "c"))
                .post(SILENCES).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("ends_at"));
        given().contentType(ContentType.JSON)
                .body(silenceBody("{\"node_id\": \"n\"}", in(Duration.ofHours(2)), in(Duration.ofHours(1)), "c"))
                .post(SILENCES).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("ends_at"));
        given().contentType(ContentType.JSON).body(silenceBody("{\"node_id\": \"n\"}", null, in(Duration.ofDays(400)), "c"))
                .post(SILENCES).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("ends_at"));
        given().contentType(ContentType.JSON).body(silenceBody("{\"triggered_by\": \"meltdown\"}", null, later, "c"))
                .post(SILENCES).then().spec(problem(400, "Bad Request"));
        given().contentType(ContentType.JSON).body(silenceBody("{\"node_id\": \"" + "x".repeat(151) + "\"}", null, later, "c"))
                .post(SILENCES).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("matchers.node_id"));
        given().contentType(ContentType.JSON).body(silenceBody("{\"node_id\": \"n\"}", null, later, "x".repeat(1001)))
                .post(SILENCES).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("comment"));
        given().contentType(ContentType.JSON).body("{\"matchers\": ").post(SILENCES).then().spec(problem(400, "Malformed JSON"));
        given().contentType(ContentType.JSON).body(silenceBody("{\"node_id\": \"n\"}", null, "tomorrow", "c"))
                .post(SILENCES).then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
        assertEquals(before, count(pool, "SELECT count(*) FROM healing.silence"));

        given().get(SILENCES + "/not-a-uuid").then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("id"));
        given().delete(SILENCES + "/not-a-uuid").then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("id"));
        given().delete(SILENCES + "/" + UUID.randomUUID()).then().spec(problem(404, "Not Found"));
        given().queryParam("limit", 0).get(SILENCES).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("limit"));
        given().queryParam("offset", -1).get(SILENCES).then().spec(problem(400, "Bad Request")).body("violations.field", hasItem("offset"));
    }

    @Test
    void aSilencedFiringIsStoredAndCountedButRepairsNothingAndTheFiringAfterTheSilenceIsRepaired() {
        String a = assistant();
        String node = unique("node");
        String silence = createSilence("{\"assistant_id\": \"" + a + "\"}", Duration.ofHours(1));

        String first = fire(node, a, "entropy_spike");
        assertEquals(first, fire(node, a, "entropy_spike"), "the second firing counts on the silenced event");
        given().get("/system/health/recovery/" + first).then().statusCode(200)
                .body("status", equalTo("silenced"))
                .body("repair_actions", empty())
                .body("occurrences", equalTo(2))
                .body("reason", containsString(silence))
                .body("resolved_at", nullValue());
        assertEquals(2, Fixtures.signalsOf(pool, node), "the silenced signals are stored");
        given().queryParam("status", "silenced").queryParam("node_id", node).get("/system/health/recovery").then()
                .statusCode(200).body("total", equalTo(1)).body("events[0].id", equalTo(first));

        // the silence ends early: its event ends with it, and the next firing is repaired
        given().delete(SILENCES + "/" + silence).then().statusCode(204);
        given().get("/system/health/recovery/" + first).then().statusCode(200)
                .body("status", equalTo("silenced")).body("resolved_at", utc());
        String next = fire(node, a, "entropy_spike");
        org.junit.jupiter.api.Assertions.assertNotEquals(first, next, "the end of a silence is no cooldown");
        given().get("/system/health/recovery/" + next).then().statusCode(200)
                .body("status", equalTo("active"))
                .body("repair_actions.type", equalTo(List.of("rebalance_load", "resync_memory")))
                .body("repair_actions.status", everyItem(equalTo("pending")));
    }

    @Test
    void aSilenceExpiresByItselfAndTheNextSpikeIsRepaired() {
        String a = assistant();
        String node = unique("node");
        String silence = createSilence("{\"node_id\": \"" + node + "\"}", Duration.ofSeconds(2));
        String silenced = fire(node, a, "codex_conflict");
        given().get("/system/health/recovery/" + silenced).then().body("status", equalTo("silenced"));
        Fixtures.await("the silence to expire", WAIT,
                () -> given().get(SILENCES + "/" + silence).then().extract().statusCode() == 404);
        String next = fire(node, a, "codex_conflict");
        org.junit.jupiter.api.Assertions.assertNotEquals(silenced, next);
        given().get("/system/health/recovery/" + next).then().body("status", equalTo("active"))
                .body("repair_actions.type", equalTo(List.of("realign_codex")));
        given().get("/system/health/recovery/" + silenced).then().body("resolved_at", utc());
    }

    @Test
    void aSilenceOfAnotherGroupOrTriggerSilencesNothing() {
        String a = assistant();
        String node = unique("node");
        createSilence("{\"group\": \"g-" + a + "\", \"triggered_by\": \"ritual_failure\"}", Duration.ofHours(1));
        createSilence("{\"group\": \"" + unique("g") + "\"}", Duration.ofHours(1));
        String id = fire(node, a, "codex_conflict");
        given().get("/system/health/recovery/" + id).then().body("status", equalTo("active"));
    }

    // ---- resolve (flapping guard) ----------------------------------------------------------------------

    /** Three ineffective repairs of this node and trigger within the hour, as verification would have marked them. */
    private void ineffectiveHistory(String node, String a, String trigger, int n) {
        for (int i = 0; i < n; i++) {
            pool.preparedQuery("""
                            INSERT INTO healing.healing_event (id, node_id, triggered_by, assistant_id, status, created_at, resolved_at,
                                                               effective, recurrences, verify_until)
                            VALUES ($1, $2, $3, $4, 'resolved', now() - interval '10 minutes', now() - interval '9 minutes',
                                    false, 1, now() - interval '7 minutes')""")
                    .execute(Tuple.of(UUID.randomUUID(), node, trigger, a)).await().atMost(WAIT);
        }
    }

    @Test
    void aFlappingNodeIsEscalatedWithoutActionsUntilAnOperatorResolvesIt() {
        String a = assistant();
        String node = unique("node");
        ineffectiveHistory(node, a, "symbolic_error", 3);

        String id = fire(node, a, "symbolic_error");
        given().get("/system/health/recovery/" + id).then().statusCode(200)
                .body("status", equalTo("escalated"))
                .body("repair_actions", empty())
                .body("reason", containsString("ineffective 3 times"))
                .body("effective", nullValue())
                .body("recurrences", equalTo(0));
        assertEquals(id, fire(node, a, "symbolic_error"), "further firings count on the escalated event");
        given().queryParam("status", "escalated").queryParam("node_id", node).get("/system/health/recovery")
                .then().body("total", equalTo(1));

        given().post("/system/health/recovery/" + id + "/resolve").then().statusCode(200).contentType(ContentType.JSON)
                .body("id", equalTo(id)).body("status", equalTo("resolved")).body("resolved_at", utc());
        given().post("/system/health/recovery/" + id + "/resolve").then().spec(problem(409, "Conflict"))
                .body("detail", containsString("resolved"));
        given().queryParam("action", "event.resolve").queryParam("limit", 500).get("/system/health/audit").then()
                .body("entries.find { it.target == '" + id + "' }.subject", equalTo("test-operator"))
                .body("entries.find { it.target == '" + id + "' }.detail.node_id", equalTo(node));

        // after the operator's resolution the guard counts afresh: past its cooldown, the next firing is repaired
        pool.preparedQuery("UPDATE healing.healing_event SET resolved_at = resolved_at - interval '1 minute' WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(WAIT);
        String next = fire(node, a, "symbolic_error");
        given().get("/system/health/recovery/" + next).then().body("status", equalTo("active"))
                .body("repair_actions", hasSize(2));
    }

    @Test
    void fewerIneffectiveRepairsThanTheLimitAreRepairedAsUsual() {
        String a = assistant();
        String node = unique("node");
        ineffectiveHistory(node, a, "symbolic_error", 2);
        String id = fire(node, a, "symbolic_error");
        given().get("/system/health/recovery/" + id).then().body("status", equalTo("active")).body("repair_actions", hasSize(2));
    }

    @Test
    void resolveAnswersProblemsForBadIdsUnknownEventsAndEventsThatAreNotEscalated() {
        given().post("/system/health/recovery/not-a-uuid/resolve").then().spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("id"));
        given().post("/system/health/recovery/" + UUID.randomUUID() + "/resolve").then().spec(problem(404, "Not Found"));
        String id = fire(unique("node"), assistant(), "codex_conflict");
        given().post("/system/health/recovery/" + id + "/resolve").then().spec(problem(409, "Conflict"))
                .body("detail", containsString("active"));
        given().get("/system/health/recovery/" + id).then().body("status", equalTo("active"));
    }

    @Test
    void resolveNeedsTheOperatorRole() {
        given().auth().oauth2(TestTokens.of("vera", "viewer"))
                .post("/system/health/recovery/" + UUID.randomUUID() + "/resolve").then().spec(problem(403, "Forbidden"));
    }

    // ---- storm guard -----------------------------------------------------------------------------------

    private static String member(String group) {
        String id = unique("a");
        given().contentType(ContentType.JSON).body("{\"name\": \"n\", \"group\": \"" + group + "\", \"zone\": \"z-" + id + "\"}")
                .put("/assistants/" + id).then().statusCode(201);
        return id;
    }

    @Test
    void halfAGroupFiringAtOnceIsHeldAsAStormUntilAnOperatorReleasesIt() {
        String group = unique("g");
        List<String> members = List.of(member(group), member(group), member(group), member(group));
        String n1 = unique("node");
        String n2 = unique("node");
        String batch = "[" + signal(n1, members.get(0), "entropy_spike", 0.95, null) + ", "
                + signal(n2, members.get(1), "entropy_spike", 0.95, null) + "]";
        List<String> ids = Fixtures.post(batch).statusCode(202).body("fired", hasSize(2)).extract().path("fired.event_id");
        for (String id : ids) {
            given().get("/system/health/recovery/" + id).then().body("status", equalTo("active"))
                    .body("repair_actions.status", everyItem(equalTo("held")))
                    .body("repair_actions.reason", everyItem(equalTo("storm")))
                    .body("repair_actions", hasSize(2));
        }
        given().get("/system/health/storm").then().statusCode(200)
                .body("storms.find { it.group == '" + group + "' }.held", equalTo(4))
                .body("storms.find { it.group == '" + group + "' }.fraction", equalTo(0.5f))
                .body("storms.find { it.group == '" + group + "' }.started_at", utc());

        // in the storm, a third member's new event is held too
        String third = fire(unique("node"), members.get(2), "codex_conflict");
        given().get("/system/health/recovery/" + third).then().body("repair_actions.status", equalTo(List.of("held")));

        given().post("/system/health/storm/" + group + "/release").then().statusCode(200).contentType(ContentType.JSON)
                .body("group", equalTo(group)).body("released", equalTo(5));
        for (String id : List.of(ids.get(0), ids.get(1), third)) {
            given().get("/system/health/recovery/" + id).then().body("repair_actions.status", not(hasItem("held")))
                    .body("repair_actions.reason", everyItem(nullValue()));
        }
        assertEquals(0, count(pool, "SELECT count(*) FROM healing.storm WHERE assistant_group = $1", group));
        given().post("/system/health/storm/" + group + "/release").then().spec(problem(404, "Not Found"));
        given().get("/system/health/storm").then().body("storms.group", not(hasItem(group)));
        given().queryParam("action", "storm.release").queryParam("limit", 500).get("/system/health/audit").then()
                .body("entries.find { it.target == '" + group + "' }.detail.released", equalTo(5))
                .body("entries.find { it.target == '" + group + "' }.subject", equalTo("test-operator"));
    }

    @Test
    void oneMemberOfAGroupFiringIsNoStorm() {
        String group = unique("g");
        String a = member(group);
        member(group);
        member(group);
        member(group);
        String id = fire(unique("node"), a, "entropy_spike");
        given().get("/system/health/recovery/" + id).then().body("repair_actions.status", everyItem(equalTo("pending")));
        assertEquals(0, count(pool, "SELECT count(*) FROM healing.storm WHERE assistant_group = $1", group));
    }

    @Test
    void releaseAnswersProblemsForCalmGroupsAndOverLongNamesAndNeedsTheOperator() {
        given().post("/system/health/storm/" + unique("calm") + "/release").then().spec(problem(404, "Not Found"));
        given().post("/system/health/storm/" + "g".repeat(151) + "/release").then().spec(problem(400, "Bad Request"));
        given().auth().oauth2(TestTokens.of("vera", "viewer"))
                .post("/system/health/storm/g/release").then().spec(problem(403, "Forbidden"));
    }

    // ---- stats and audit --------------------------------------------------------------------------------

    @Test
    void statsCountEveryStatusAndTriggerOverTheWindow() {
        String a = assistant();
        fire(unique("node"), a, "codex_conflict");
        given().queryParam("window_seconds", 3600).get("/system/health/stats").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("window_seconds", equalTo(3600))
                .body("from", utc()).body("to", utc())
                .body("total", greaterThanOrEqualTo(1))
                .body("by_status.keySet()", equalTo(java.util.Set.of("active", "resolved", "failed", "escalated", "silenced")))
                .body("by_status.active", greaterThanOrEqualTo(1))
                .body("by_trigger.keySet()", equalTo(java.util.Set.of("entropy_spike", "ritual_failure", "codex_conflict",
                        "symbolic_error")))
                .body("by_trigger.codex_conflict.total", greaterThanOrEqualTo(1))
                .body("by_trigger.codex_conflict.by_status.active", greaterThanOrEqualTo(1));
        given().queryParam("window_seconds", 0).get("/system/health/stats").then().spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("window_seconds"));
        given().queryParam("window_seconds", 2592001).get("/system/health/stats").then().spec(problem(400, "Bad Request"));
        given().queryParam("window_seconds", "a day").get("/system/health/stats").then().spec(problem(400, "Bad Request"));
    }

    @Test
    void statsShowTheShareOfEffectiveRepairsPerTrigger() {
        long effectiveBefore = given().get("/system/health/stats").then().extract().jsonPath().getLong("by_trigger.ritual_failure.effective");
        long ineffectiveBefore = given().get("/system/health/stats").then().extract().jsonPath()
                .getLong("by_trigger.ritual_failure.ineffective");
        String a = assistant();
        for (Boolean effective : List.of(true, true, true, false)) {
            pool.preparedQuery("""
                            INSERT INTO healing.healing_event (id, node_id, triggered_by, assistant_id, status, resolved_at, effective,
                                                               verify_until)
                            VALUES ($1, $2, 'ritual_failure', $3, 'resolved', now(), $4, now())""")
                    .execute(Tuple.of(UUID.randomUUID(), unique("node"), a, effective)).await().atMost(WAIT);
        }
        var stats = given().get("/system/health/stats").then().statusCode(200).extract().jsonPath();
        long effective = stats.getLong("by_trigger.ritual_failure.effective");
        long ineffective = stats.getLong("by_trigger.ritual_failure.ineffective");
        assertEquals(effectiveBefore + 3, effective);
        assertEquals(ineffectiveBefore + 1, ineffective);
        assertEquals((double) effective / (effective + ineffective), stats.getDouble("by_trigger.ritual_failure.effectiveness"), 1e-9);
    }

    @Test
    void theAuditTrailRecordsRuleAndAssistantChangesWithTheTokensSubject() {
        String id = unique("a");
        given().auth().oauth2(TestTokens.of("olga", "operator")).contentType(ContentType.JSON)
                .body("{\"name\": \"n\", \"group\": \"g\", \"zone\": \"z\"}").put("/assistants/" + id).then().statusCode(201);
        given().auth().oauth2(TestTokens.of("olga", "operator")).delete("/assistants/" + id)
                .then().statusCode(204);
        given().queryParam("subject", "olga").queryParam("limit", 500).get("/system/health/audit").then().statusCode(200)
                .body("entries.findAll { it.target == '" + id + "' }.action", equalTo(List.of("assistant.delete", "assistant.put")))
                .body("entries.find { it.action == 'assistant.put' && it.target == '" + id + "' }.detail.created", equalTo(true))
                .body("entries[0].at", utc())
                .body("total", greaterThanOrEqualTo(2));
        // a delete of nothing changes nothing, and records nothing
        given().delete("/assistants/" + id).then().spec(problem(404, "Not Found"));
        given().queryParam("action", "assistant.delete").queryParam("limit", 500).get("/system/health/audit").then()
                .body("entries.findAll { it.target == '" + id + "' }", hasSize(1));

        given().queryParam("limit", 0).get("/system/health/audit").then().spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("limit"));
        given().queryParam("limit", 501).get("/system/health/audit").then().spec(problem(400, "Bad Request"));
        given().queryParam("offset", -1).get("/system/health/audit").then().spec(problem(400, "Bad Request"));
        given().queryParam("action", "x".repeat(65)).get("/system/health/audit").then().spec(problem(400, "Bad Request"));
    }

    // ---- rules gain verify_seconds and max_ineffective ---------------------------------------------------

    @Test
    void rulesCarryVerifySecondsAndMaxIneffectiveWithTheirDefaultsAndAPutChangesThem() {
        given().get("/system/health/rules").then().statusCode(200)
                .body("rules.verify_seconds", everyItem(equalTo(120)))
                .body("rules.max_ineffective", everyItem(equalTo(3)));
        try {
            given().auth().oauth2(TestTokens.of("rita", "operator")).contentType(ContentType.JSON)
                    .body("{\"window_seconds\": 60, \"min_occurrences\": 1, \"cooldown_seconds\": 30, \"verify_seconds\": 90, "
                            + "\"max_ineffective\": 5}")
                    .put("/system/health/rules/codex_conflict").then().statusCode(200)
                    .body("verify_seconds", equalTo(90)).body("max_ineffective", equalTo(5));
            given().get("/system/health/rules").then()
                    .body("rules.find { it.kind == 'codex_conflict' }.verify_seconds", equalTo(90))
                    .body("rules.find { it.kind == 'codex_conflict' }.max_ineffective", equalTo(5));
            given().queryParam("subject", "rita").get("/system/health/audit").then()
                    .body("entries[0].action", equalTo("rule.put")).body("entries[0].target", equalTo("codex_conflict"))
                    .body("entries[0].detail.verify_seconds", equalTo(90));
        } finally {
            // the four fields of the first version: the safety fields return to their defaults
            given().contentType(ContentType.JSON).body("{\"window_seconds\": 60, \"min_occurrences\": 1, \"cooldown_seconds\": 30}")
                    .put("/system/health/rules/codex_conflict").then().statusCode(200)
                    .body("verify_seconds", equalTo(120)).body("max_ineffective", equalTo(3));
        }
    }

    @Test
    void invalidSafetyFieldsOfARuleAre400AndChangeNothing() {
        given().contentType(ContentType.JSON)
                .body("{\"window_seconds\": 60, \"min_occurrences\": 1, \"cooldown_seconds\": 30, \"verify_seconds\": -1, "
                        + "\"max_ineffective\": 0}")
                .put("/system/health/rules/symbolic_error").then().spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("verify_seconds"))
                .body("violations.field", hasItem("max_ineffective"));
        given().contentType(ContentType.JSON)
                .body("{\"window_seconds\": 60, \"min_occurrences\": 1, \"cooldown_seconds\": 30, \"verify_seconds\": 86401}")
                .put("/system/health/rules/symbolic_error").then().spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("verify_seconds"));
        given().get("/system/health/rules").then()
                .body("rules.find { it.kind == 'symbolic_error' }.verify_seconds", equalTo(120))
                .body("rules.find { it.kind == 'symbolic_error' }.max_ineffective", equalTo(3));
    }
}
