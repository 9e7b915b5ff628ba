package io.mythos.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Remediation that knows when to stop (DESIGN.md "Remediation safety"), end to end across the three running
 * services: verification and the flapping guard, the storm guard, and silences. The windows are short
 * (the safety job every second, a storm window of 3 s; the entropy rule's verification window and flapping
 * limit set through the rules API), so the suite takes seconds.
 */
class RemediationSafetyIT {

    private static MythosSystem sys;
    private static Api api;

    @BeforeAll
    static void start() {
        Map<String, String> tuning = new HashMap<>(MythosSystem.FAST);
        tuning.put("MYTHOS_HEALING_SAFETY_INTERVAL", "1s");
        tuning.put("MYTHOS_HEALING_STORM_WINDOW", "3s");
        sys = MythosSystem.start(Postgres.forSuites(), "mythos_system_safety", tuning);
        api = new Api(sys);
        // entropy spikes: no cooldown, repairs watched 60 s, escalated after 2 ineffective ones
        given().baseUri(sys.healing().url()).contentType(ContentType.JSON)
                .body(Map.of("threshold", 0.8, "window_seconds", 60, "min_occurrences", 1, "cooldown_seconds", 0,
                        "verify_seconds", 60, "max_ineffective", 2))
                .put("/system/health/rules/entropy_spike").then().statusCode(200)
                .body("verify_seconds", equalTo(60)).body("max_ineffective", equalTo(2));
    }

    @AfterAll
    static void stop() {
        if (sys != null) {
            sys.close();
        }
    }

    private static String spike(String node, String assistant) {
        return api.signal(node, assistant, "entropy_spike", 0.95).then().statusCode(202).body("fired", hasSize(1))
                .extract().path("fired[0].event_id");
    }

    private static JsonPath awaitStatus(String eventId, String status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(api.event(eventId).getString("status")));
        return api.event(eventId);
    }

    private static int plansOf(String group) {
        return api.plans(500).getList("plans.findAll { it.scope.group == '" + group + "' }").size();
    }

    private static double maxUtilization(String group) {
        return api.loadMap(group).getDouble("groups[0].max_utilization");
    }

    /**
     * A node whose load is pushed back up after every rebalance: healed, recurs (the repair is marked
     * ineffective), healed again, recurs again, and then escalated without repair until an operator resolves it.
     */
    @Test
    void aNodeWhoseLoadComesBackIsHealedTwiceThenEscalated() {
        Api.Fleet f = api.fleet();
        String node = Api.id("node");
        double overloaded = maxUtilization(f.group());

        String first = spike(node, f.hot());
        JsonPath e1 = awaitStatus(first, "resolved");
        assertEquals("succeeded", e1.getString("repair_actions[0].status"));
        assertNull(e1.get("effective"), "watched: not decided yet");
        assertTrue(maxUtilization(f.group()) < overloaded, "the rebalance relieved the group");

        // the load comes back, and so does the spike
        api.overloadedGroup(f.group(), f.hot(), f.cool1(), f.cool2());
        String second = spike(node, f.hot());
        assertNotEquals(first, second, "healed again: a new event");
        JsonPath e1After = api.event(first);
        assertEquals(Boolean.FALSE, e1After.get("effective"));
        assertEquals(1, e1After.getInt("recurrences"));
        awaitStatus(second, "resolved");
        assertEquals(2, plansOf(f.group()), "two rebalances");

        api.overloadedGroup(f.group(), f.hot(), f.cool1(), f.cool2());
        String third = spike(node, f.hot());
        assertEquals(Boolean.FALSE, api.event(second).get("effective"));
        JsonPath escalated = api.event(third);
        assertEquals("escalated", escalated.getString("status"));
        assertTrue(escalated.getList("repair_actions").isEmpty(), "an escalated event repairs nothing");
        assertTrue(escalated.getString("reason").contains("ineffective 2 times"), escalated.getString("reason"));

        // nothing more is done for the node: the group stays overloaded, no third plan
        ServiceProcess.pause(2000);
        assertEquals(2, plansOf(f.group()));
        assertEquals(overloaded, maxUtilization(f.group()), 1e-9);
        assertEquals("escalated", api.event(third).getString("status"));

        given().baseUri(sys.healing().url()).post("/system/health/recovery/" + third + "/resolve").then().statusCode(200)
                .body("status", equalTo("resolved"));
        given().baseUri(sys.healing().url()).queryParam("action", "event.resolve").get("/system/health/audit").then()
                .statusCode(200).body("entries.find { it.target == '" + third + "' }.subject", equalTo("system-tests"));
        JsonPath stats = given().baseUri(sys.healing().url()).get("/system/health/stats").then().statusCode(200)
                .extract().jsonPath();
        long ineffective = stats.getLong("by_trigger.entropy_spike.ineffective");
        long effective = stats.getLong("by_trigger.entropy_spike.effective");
        assertEquals(2, ineffective, "the two repairs that did not hold (the other suites' spikes did not recur)");
        assertEquals((double) effective / (effective + ineffective), stats.getDouble("by_trigger.entropy_spike.effectiveness"), 1e-6);
    }

    /** Half a group spiking at once is a storm: its repairs are held, and released once the group calms. */
    @Test
    void halfAGroupSpikingAtOnceIsHeldAsAStormAndReleasedWhenItCalms() {
        String group = Api.id("g");
        List<String> members = List.of(Api.id("a"), Api.id("a"), Api.id("a"), Api.id("a"));
        for (String m : members) {
            api.registerAssistant(m, group, Api.id("z"));
        }
        List<String> ids = api.signals(List.of(
                        Map.of("node_id", Api.id("node"), "assistant_id", members.get(0), "kind", "entropy_spike", "value", 0.95),
                        Map.of("node_id", Api.id("node"), "assistant_id", members.get(1), "kind", "entropy_spike", "value", 0.95)))
                .then().statusCode(202).body("fired", hasSize(2)).extract().path("fired.event_id");
        for (String id : ids) {
            JsonPath e = api.event(id);
            assertEquals(List.of("held", "held"), e.getList("repair_actions.status"), "held as a storm: " + e.prettify());
            assertEquals(List.of("storm", "storm"), e.getList("repair_actions.reason"));
        }
        given().baseUri(sys.healing().url()).get("/system/health/storm").then().statusCode(200)
                .body("storms.find { it.group == '" + group + "' }.held", equalTo(4));

        // no further spike: past the storm window the group is calm, and its repairs run by themselves
        for (String id : ids) {
            JsonPath e = awaitStatus(id, "resolved");
            assertTrue(e.getList("repair_actions.status").stream().noneMatch("held"::equals), e.prettify());
        }
        given().baseUri(sys.healing().url()).get("/system/health/storm").then().body("storms.group", not(hasItem(group)));
    }

    /**
     * A silence over a node: its spikes are stored and counted on a silenced event, nothing is repaired;
     * once the silence expires, the next spike is repaired.
     */
    @Test
    void aSilencedNodeIsNotRepairedAndTheNextSpikeAfterTheSilenceIs() {
        Api.Fleet f = api.fleet();
        String node = Api.id("node");
        double overloaded = maxUtilization(f.group());
        String silence = given().baseUri(sys.healing().url()).contentType(ContentType.JSON)
                .body(Map.of("matchers", Map.of("node_id", node),
                        "ends_at", OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(4).toString(), "comment", "maintenance"))
                .post("/system/health/silences").then().statusCode(201).extract().path("id");

        String silenced = spike(node, f.hot());
        assertEquals(silenced, spike(node, f.hot()), "both spikes count on the silenced event");
        JsonPath e = api.event(silenced);
        assertEquals("silenced", e.getString("status"));
        assertEquals(2, e.getInt("occurrences"), "the signals are stored and counted");
        assertTrue(e.getList("repair_actions").isEmpty());

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().baseUri(sys.healing().url()).get("/system/health/silences/" + silence).statusCode() == 404);
        assertEquals(0, plansOf(f.group()), "nothing was repaired during the silence");
        assertEquals(overloaded, maxUtilization(f.group()), 1e-9);

        String next = spike(node, f.hot());
        assertNotEquals(silenced, next);
        JsonPath repaired = awaitStatus(next, "resolved");
        assertEquals("succeeded", repaired.getString("repair_actions[0].status"));
        assertEquals(1, plansOf(f.group()));
        assertTrue(maxUtilization(f.group()) < overloaded);
        assertTrue(api.event(silenced).getString("resolved_at") != null, "the silenced event ended with its silence");
    }
}
