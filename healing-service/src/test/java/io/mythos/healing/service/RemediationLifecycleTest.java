package io.mythos.healing.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.healing.support.Fixtures;
import io.mythos.healing.support.SafetyProfile;
import io.mythos.platform.testing.PeerStub;
import io.mythos.platform.testing.PeerStubResource.InjectPeerStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event lifecycle with the repairs really carried out against peer stubs and the safety job running:
 * verification (effective or not), the flapping guard's escalation, and a storm released once its group calms.
 */
@QuarkusTest
@TestProfile(SafetyProfile.class)
class RemediationLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @InjectPeerStub
    PeerStub peers;

    @Inject
    Pool pool;

    @BeforeEach
    void peersAnswerEveryRepair() {
        peers.server().stubFor(post(urlEqualTo("/system/load/rebalance")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"plan_id": "%s", "scope": {"group": "g"}, "dry_run": false, "applied": true,
                         "before": {"max_utilization": 1.5, "mean_utilization": 0.8, "imbalance": 1.9},
                         "after": {"max_utilization": 0.9, "mean_utilization": 0.8, "imbalance": 1.1},
                         "pressure_reduction": 0.4, "moved_pressure": 3.5, "redistribution": [],
                         "decentralization_tasks": [], "ritual_spread": [], "computed_in_ms": 2,
                         "created_at": "2026-01-01T00:00:00Z"}""".formatted(UUID.randomUUID()))));
        // codex_conflict: no cooldown, watched 10 s, escalated after 2 ineffective repairs
        given().contentType(ContentType.JSON).body("{\"window_seconds\": 60, \"min_occurrences\": 1, \"cooldown_seconds\": 0, "
                + "\"verify_seconds\": 10, \"max_ineffective\": 2}").put("/system/health/rules/codex_conflict").then().statusCode(200);
    }

    @AfterEach
    void restoreTheRule() {
        given().contentType(ContentType.JSON).body("{\"window_seconds\": 60, \"min_occurrences\": 1, \"cooldown_seconds\": 30}")
                .put("/system/health/rules/codex_conflict").then().statusCode(200);
    }

    /** An assistant of {@code group} in a zone of its own, whose recovery the daemon's stub answers for that zone. */
    private String assistantIn(String group) {
        String id = unique("a");
        String zone = "z-" + id;
        given().contentType(ContentType.JSON).body("{\"name\": \"n\", \"group\": \"" + group + "\", \"zone\": \"" + zone + "\"}")
                .put("/assistants/" + id).then().statusCode(201);
        // the healing service checks that the daemon's record names the zone it asked to recover
        peers.server().stubFor(post(urlEqualTo("/system/daemon/zones/" + zone + "/recover"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"id": "%s", "network_zone": "%s",
                         "detected_failure": {"zone_divergence": 0.3, "threshold": 0.1, "replicas": []},
                         "memory_resync_attempts": [], "codex_realignment_vector": {},
                         "assistant_reflection_scripts": "", "recovery_score": 0.5, "created_at": "2026-01-01T00:00:00Z"}"""
                        .formatted(UUID.randomUUID(), zone))));
        return id;
    }

    private static String fire(String node, String a) {
        return Fixtures.post(signal(node, a, "codex_conflict", null, null)).statusCode(202).body("fired", hasSize(1))
                .extract().path("fired[0].event_id");
    }

    private static JsonPath event(String id) {
        return given().get("/system/health/recovery/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitStatus(String id, String status) {
        Fixtures.await("event " + id + " to be " + status, WAIT, () -> status.equals(event(id).getString("status")));
        return event(id);
    }

    @Test
    void aRepairThatHoldsIsEffectiveAfterTheVerificationWindow() {
        String a = assistantIn(unique("g"));
        String id = fire(unique("node"), a);
        JsonPath resolved = awaitStatus(id, "resolved");
        org.junit.jupiter.api.Assertions.assertNull(resolved.get("effective"), "undecided during the window");
        Fixtures.await("the verdict", WAIT, () -> Boolean.TRUE.equals(event(id).get("effective")));
        assertEquals(0, event(id).getInt("recurrences"));

        given().get("/system/health/stats").then().statusCode(200)
                .body("by_trigger.codex_conflict.effective", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        Fixtures.await("the effectiveness gauge", WAIT, () -> given().get("/q/metrics").then().extract().asString().lines()
                .anyMatch(l -> l.startsWith("mythos_healing_repair_effectiveness{") && l.contains("triggered_by=\"codex_conflict\"")
                        && !l.endsWith("NaN")));
    }

    @Test
    void aNodeThatRecursIsHealedAgainAndEscalatedAfterMaxIneffective() {
        String a = assistantIn(unique("g"));
        String node = unique("node");

        String first = fire(node, a);
        awaitStatus(first, "resolved");
        String second = fire(node, a);
        assertNotEquals(first, second, "past the cooldown a recurrence opens a new event, repaired again");
        JsonPath firstAfter = event(first);
        assertEquals(Boolean.FALSE, firstAfter.get("effective"));
        assertEquals(1, firstAfter.getInt("recurrences"));

        awaitStatus(second, "resolved");
        String third = fire(node, a);
        assertEquals(Boolean.FALSE, event(second).get("effective"));
        JsonPath escalated = event(third);
        assertEquals("escalated", escalated.getString("status"));
        assertTrue(escalated.getList("repair_actions").isEmpty());
        assertTrue(escalated.getString("reason").contains("ineffective 2 times"), escalated.getString("reason"));
        // escalated, it is never repaired: after a while it is still escalated without actions
        assertEquals(third, fire(node, a));
        ServiceSleep.pause(1500);
        given().get("/system/health/recovery/" + third).then().body("status", equalTo("escalated")).body("repair_actions", empty());
        assertEquals(2, peers.server().findAll(postRequestedFor(urlEqualTo("/system/daemon/zones/z-" + a + "/recover"))).size(),
                "two repairs, and none for the escalated event");

        given().post("/system/health/recovery/" + third + "/resolve").then().statusCode(200).body("status", equalTo("resolved"))
                .body("effective", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aStormIsReleasedOnceItsGroupCalms() {
        String group = unique("g");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            members.add(assistantIn(group));
        }
        String batch = "[" + signal(unique("node"), members.get(0), "entropy_spike", 0.95, null) + ", "
                + signal(unique("node"), members.get(1), "entropy_spike", 0.95, null) + "]";
        List<String> ids = Fixtures.post(batch).statusCode(202).extract().path("fired.event_id");
        assertEquals(2, ids.size());
        for (String id : ids) {
            given().get("/system/health/recovery/" + id).then().body("repair_actions.status", everyItem(equalTo("held")));
        }
        // no further firing: after the storm window (2 s) the group counts as calm, and the job releases it
        for (String id : ids) {
            JsonPath e = awaitStatus(id, "resolved");
            assertEquals(List.of("succeeded", "succeeded"), e.getList("repair_actions.status"));
        }
        given().get("/system/health/storm").then().body("storms.group", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(group)));
        given().queryParam("action", "storm.release").queryParam("limit", 500).get("/system/health/audit").then()
                .body("entries.target", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(group)));
    }

    /** A pause in a test thread. */
    static final class ServiceSleep {
        static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
