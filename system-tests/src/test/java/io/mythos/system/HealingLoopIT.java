package io.mythos.system;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's three testing goals, end to end across the three running services. The daemon's own
 * cycle is out of the way ({@link MythosSystem#FAST}), so a zone's recovery record can only come from
 * a recover call; each repair is proven by its own effect at the peer (the record or plan the action
 * reports, stored under the action's id as Idempotency-Key), not by the event's status alone.
 */
class HealingLoopIT {

    private static MythosSystem sys;
    private static Api api;

    @BeforeAll
    static void start() {
        sys = MythosSystem.start(Postgres.forSuites(), "mythos_system_loop", MythosSystem.FAST);
        api = new Api(sys);
    }

    @AfterAll
    static void stop() {
        if (sys != null) {
            sys.close();
        }
    }

    /** Goal 1: an entropy spike at the threshold heals across the three services. */
    @Test
    void entropySpikeRebalancesTheGroupAndRealignsTheZone() {
        Api.Fleet f = api.fleet();
        String group = f.group();
        String hot = f.hot();
        double maxBefore = api.loadMap(group).getDouble("groups[0].max_utilization");

        String node = Api.id("node");
        api.signal(node, hot, "entropy_spike", 0.8).then().statusCode(202)
                .body("accepted", equalTo(1))
                .body("fired", hasSize(1))
                .body("fired[0].new", equalTo(true))
                .body("fired[0].triggered_by", equalTo("entropy_spike"));

        JsonPath event = awaitResolved(node);
        assertEquals("entropy_spike", event.getString("triggered_by"));
        assertRebalancedAndResynced(event, f);

        double maxAfter = api.loadMap(group).getDouble("groups[0].max_utilization");
        assertTrue(maxAfter < maxBefore, "max utilization " + maxBefore + " -> " + maxAfter);
    }

    @Test
    void entropyBelowTheThresholdOpensNothing() {
        String a = Api.id("calm");
        api.registerAssistant(a, Api.id("g"), Api.id("z"));
        String node = Api.id("node");
        api.signal(node, a, "entropy_spike", 0.79).then().statusCode(202)
                .body("accepted", equalTo(1)).body("fired", empty());
        assertTrue(api.events(node).isEmpty());
    }

    @Test
    void symbolicErrorFiresLikewise() {
        Api.Fleet f = api.fleet();
        String node = Api.id("node");
        api.signal(node, f.hot(), "symbolic_error", null).then().statusCode(202).body("fired", hasSize(1));

        assertRebalancedAndResynced(awaitResolved(node), f);
    }

    /** Goal 2: three ritual failures within the window produce a ritual spread plan for the assistant. */
    @Test
    void threeRitualFailuresSpreadTheAssistantsRituals() {
        String group = Api.id("g");
        String busy = Api.id("busy");
        String other = Api.id("other");
        api.registerAssistant(busy, group, Api.id("z"));
        api.registerAssistant(other, group, Api.id("z"));
        // Rituals alone put "busy" at utilization 1.6; no codex move can bring it to 1.0.
        api.pressure(Map.of(
                "assistants", List.of(
                        Map.of("assistant_id", busy, "group", group, "capacity", 10.0, "memory_entropy", 0.0),
                        Map.of("assistant_id", other, "group", group, "capacity", 10.0, "memory_entropy", 0.0)),
                "rituals", List.of(
                        Map.of("ritual_id", busy + "-r1", "assistant_id", busy, "density", 8.0, "priority", "low"),
                        Map.of("ritual_id", busy + "-r2", "assistant_id", busy, "density", 4.0, "priority", "normal"),
                        Map.of("ritual_id", busy + "-r3", "assistant_id", busy, "density", 4.0, "priority", "critical"))));

        String node = Api.id("node");
        api.signal(node, busy, "ritual_failure", null).then().statusCode(202).body("fired", empty());
        api.signal(node, busy, "ritual_failure", null).then().statusCode(202).body("fired", empty());
        api.signal(node, busy, "ritual_failure", null).then().statusCode(202).body("fired", hasSize(1));

        JsonPath event = awaitResolved(node);
        assertEquals(List.of("spread_rituals"), event.getList("repair_actions.type"));
        assertEquals("succeeded", event.getString("repair_actions[0].status"));

        JsonPath plan = planFor(busy);
        assertPlanOfAction(event, 0, Map.of("assistant_id", busy, "dry_run", false), plan.getString("plan_id"));
        List<Map<String, Object>> spread = plan.getList("ritual_spread");
        assertFalse(spread.isEmpty(), "a ritual spread plan for " + busy);
        assertTrue(spread.stream().allMatch(s -> busy.equals(s.get("from_assistant"))));
        assertTrue(spread.stream().noneMatch(s -> "defer".equals(s.get("action")) && (busy + "-r3").equals(s.get("ritual_id"))),
                "a critical ritual is never deferred");
    }

    /** Goal 3: a codex conflict realigns the zone, whose belief path then reaches converged. */
    @Test
    void codexConflictRealignsTheZoneUntilConverged() {
        String zone = Api.id("z");
        String a = Api.id("a");
        String b = Api.id("b");
        String c = Api.id("c");
        for (String x : List.of(a, b, c)) {
            api.registerAssistant(x, Api.id("g"), zone);
        }
        api.divergedZone(zone, a, b, c);
        String node = Api.id("node");
        api.signal(node, c, "codex_conflict", null).then().statusCode(202).body("fired", hasSize(1));

        JsonPath event = awaitResolved(node);
        assertEquals(List.of("realign_codex"), event.getList("repair_actions.type"));
        assertEquals("succeeded", event.getString("repair_actions[0].status"));
        String record = assertRecordOfAction(event, 0, zone);
        assertEquals(1, api.zoneEvents(zone).getInt("total"), "the realignment is the zone's only recovery so far");
        List<Float> afterRealign = api.zone(zone).getList("convergence.divergence", Float.class);
        assertEquals(1, afterRealign.size(), "one point on the belief path, the realignment's");

        // The daemon's cycles take it from there until the zone converges.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    api.cycle();
                    return "converged".equals(api.zone(zone).getString("status"));
                });
        JsonPath z = api.zone(zone);
        List<Float> path = z.getList("convergence.divergence", Float.class);
        assertTrue(path.size() > 1, "cycles after the realignment: " + path);
        assertEquals(afterRealign.get(0), path.get(0), "the path starts at the realignment");
        for (int i = 1; i < path.size(); i++) {
            assertTrue(path.get(i) <= path.get(i - 1) + 1e-9, "path non-increasing: " + path);
        }
        JsonPath records = api.zoneEvents(zone);
        int total = records.getInt("total");
        assertEquals(record, records.getString("events[" + (total - 1) + "].id"), "the oldest record is the realignment's");
    }

    /** Goal 3, second half: a zone that cannot converge stalls and is escalated as a symbolic error. */
    @Test
    void aStalledZoneIsEscalatedToTheHealingService() throws Exception {
        String zone = Api.id("z");
        String a = Api.id("a");
        String b = Api.id("b");
        String rebel = Api.id("rebel");
        for (String x : List.of(a, b, rebel)) {
            api.registerAssistant(x, Api.id("g"), zone);
        }
        api.divergedZone(zone, a, b, rebel);
        // The rebel keeps reporting its diverged beliefs, so every resync is undone before the next cycle.
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<?> rebelLoop = pool.submit(() -> {
            while (!stop.get()) {
                api.beliefs(zone, rebel, Map.of("sky_is_blue", 0.3, "water_is_dry", 0.6, "fire_is_hot", 0.8));
                ServiceProcess.pause(100);
            }
        });
        try {
            // One daemon cycle per poll: the zone stalls after a few cycles that could not lower it.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        api.cycle();
                        return !api.events("zone:" + zone).isEmpty();
                    });
        } finally {
            stop.set(true);
            rebelLoop.get(10, TimeUnit.SECONDS);
            pool.shutdownNow();
        }
        Map<String, Object> e = api.events("zone:" + zone).get(0);
        assertEquals("symbolic_error", e.get("triggered_by"));
        assertEquals(rebel, e.get("assistant_id"));
    }

    /**
     * An entropy spike's or a symbolic error's two repairs, each proven at its peer, and the event's
     * delta the mean of what the two peers reported.
     */
    private static void assertRebalancedAndResynced(JsonPath event, Api.Fleet f) {
        assertEquals(List.of("rebalance_load", "resync_memory"), event.getList("repair_actions.type"));
        assertEquals(List.of("succeeded", "succeeded"), event.getList("repair_actions.status"));
        List<String> groupPlans = api.plans(500).getList("plans.findAll { it.scope.group == '" + f.group() + "' }.plan_id");
        assertEquals(1, groupPlans.size(), "one plan for the group: " + groupPlans);
        assertPlanOfAction(event, 0, Map.of("group", f.group(), "dry_run", false), groupPlans.get(0));
        assertRecordOfAction(event, 1, f.zone());
        assertEquals(1, api.zoneEvents(f.zone()).getInt("total"), "the resync is the zone's only recovery");

        double rebalance = event.getDouble("repair_actions[0].improvement");
        double resync = event.getDouble("repair_actions[1].improvement");
        assertTrue(rebalance > 0, "the rebalance reduced the pressure: " + rebalance);
        assertTrue(resync > 0, "the resync scored: " + resync);
        assertEquals((rebalance + resync) / 2, event.getDouble("symbolic_health_delta"), 1e-9,
                "the delta is the mean of the two peers' figures");
    }

    /**
     * The action's result is the load balancer's stored, applied plan {@code planId} with the improvement
     * the action reports, and that plan is stored under the action's id: repeating the call with it as
     * Idempotency-Key answers the same plan.
     */
    private static void assertPlanOfAction(JsonPath event, int index, Map<String, Object> request, String planId) {
        String action = "repair_actions[" + index + "]";
        assertEquals(planId, event.getString(action + ".result.plan_id"), "the action reports the plan");
        JsonPath plan = api.plan(planId);
        assertTrue(plan.getBoolean("applied"), "the plan was applied");
        assertEquals(plan.getDouble("pressure_reduction"), event.getDouble(action + ".improvement"), 1e-9);
        assertEquals(planId, api.rebalance(request, event.getString(action + ".id")).getString("plan_id"),
                "the plan is stored under the action's id");
    }

    /**
     * The action's result is a recovery record of the zone, with the score the action reports, stored
     * under the action's id: repeating the call with it as Idempotency-Key answers the same record and
     * writes none. Answers the record's id.
     */
    private static String assertRecordOfAction(JsonPath event, int index, String zone) {
        String action = "repair_actions[" + index + "]";
        String record = event.getString(action + ".result.id");
        assertTrue(record != null, "the action reports a recovery record: " + event.get(action + ".result"));
        JsonPath records = api.zoneEvents(zone);
        assertTrue(records.getList("events.id").contains(record), "the record is the zone's: " + records.get("events.id"));
        assertEquals(records.getDouble("events.find { it.id == '" + record + "' }.recovery_score"),
                event.getDouble(action + ".improvement"), 1e-9);
        int total = records.getInt("total");
        assertEquals(record, api.recover(zone, event.getString(action + ".id")).getString("id"),
                "the record is stored under the action's id");
        assertEquals(total, api.zoneEvents(zone).getInt("total"), "a repeated key recovers nothing");
        return record;
    }

    private static JsonPath awaitResolved(String node) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    List<Map<String, Object>> events = api.events(node);
                    return events.size() == 1 && !"active".equals(events.get(0).get("status"));
                });
        Map<String, Object> e = api.events(node).get(0);
        assertEquals("resolved", e.get("status"), "event " + e);
        return api.event((String) e.get("id"));
    }

    private static JsonPath planFor(String assistant) {
        JsonPath plans = api.plans(50);
        List<Map<String, Object>> list = plans.getList("plans");
        for (int i = 0; i < list.size(); i++) {
            if (assistant.equals(plans.getString("plans[" + i + "].scope.assistant_id"))) {
                // the list holds summaries: the plan's ritual spread is in the whole plan
                return api.plan(plans.getString("plans[" + i + "].plan_id"));
            }
        }
        throw new AssertionError("no plan scoped to " + assistant + " in " + list);
    }
}
