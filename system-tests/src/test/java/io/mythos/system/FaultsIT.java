package io.mythos.system;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The failures this system exists for: a peer down, the healing service killed, several instances. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static MythosSystem sys;
    private static Api api;

    @BeforeAll
    static void start() {
        sys = MythosSystem.start(Postgres.forSuites(), "mythos_system_faults", MythosSystem.FAST);
        api = new Api(sys);
    }

    @AfterAll
    static void stop() {
        if (sys != null) {
            sys.close();
        }
    }

    /** 50 spikes while the load balancer is down for 30 s: nothing lost, nothing applied twice. */
    @Test
    @Order(1)
    void loadBalancerOutageLosesNoAction() {
        Api.Fleet f = api.fleet();
        Duration outage = Duration.ofSeconds(30);
        sys.loadBalancer().stop();
        long stoppedAt = System.nanoTime();
        List<String> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                String node = Api.id("lb-down");
                nodes.add(node);
                api.signal(node, f.hot(), "entropy_spike", 0.95).then().statusCode(202);
            }
            // While it is down, every rebalance is tried, refused and kept pending (never failed, never
            // skipped), while the daemon, which is up, does its part; the events stay active.
            String triedWhileDown = "events.findAll { it.repair_actions[0].attempts >= 1"
                    + " && it.repair_actions[1].status == 'succeeded' }.size()";
            await().atMost(outage.minusSeconds(5)).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.eventsOf(f.hot()).getInt(triedWhileDown) == nodes.size());
            JsonPath events = api.eventsOf(f.hot());
            assertEquals(nodes.size(), events.getInt("total"));
            assertEquals(Set.of("active"), Set.copyOf(events.getList("events.status")));
            assertEquals(Set.of("rebalance_load"), Set.copyOf(events.getList("events.collect { it.repair_actions[0].type }")));
            assertEquals(Set.of("pending"), Set.copyOf(events.getList("events.collect { it.repair_actions[0].status }")));
            assertTrue(events.getList("events.collect { it.repair_actions[0].last_error }").stream().allMatch(Objects::nonNull),
                    "each refused call is recorded");
            assertTrue(System.nanoTime() - stoppedAt < outage.toNanos(), "checked while the load balancer was down");
            ServiceProcess.pause(Math.max(0, outage.toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));
        } finally {
            sys.loadBalancer().start();
            sys.loadBalancer().awaitReady(Duration.ofSeconds(60));
        }

        // Within 10 s of the restart plus the backoff cap (5 s in these tests).
        JsonPath events = awaitAllResolved(f.hot(), nodes.size(), Duration.ofSeconds(15));
        assertEquals(Set.of("succeeded"), Set.copyOf(events.getList("events.repair_actions.status.flatten()")));
        // One rebalance_load action per event; the actions of one repair run that ask for the same group's
        // rebalance share one call (README "Bounded queues, waits, caps and retention"), so there is at least
        // one stored plan and never more than one per action (a retried call replays its key's answer).
        long plans = plansForGroup(f.group());
        assertTrue(plans >= 1 && plans <= 50, "plans applied for the 50 rebalance actions: " + plans);
    }

    /**
     * SIGKILL while the rebalance calls are in flight (the load balancer frozen, so that they hang):
     * after a restart every action completes, each effect once, although the load balancer applies the
     * calls of the dead process when it thaws.
     */
    @Test
    @Order(2)
    void healingKilledWithCallsInFlightLosesNothing() {
        Api.Fleet f = api.fleet();
        sys.loadBalancer().freeze();
        List<String> nodes = new ArrayList<>();
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String node = Api.id("kill");
            nodes.add(node);
            batch.add(Map.of("node_id", node, "assistant_id", f.hot(), "kind", "entropy_spike", "value", 0.9));
        }
        try {
            // One batch: its 20 events are started together, so that all their calls hang at once.
            api.signals(batch).then().statusCode(202).body("fired.size()", equalTo(20));
            String rebalances = "SELECT count(*) FROM healing.repair_action a JOIN healing.healing_event e ON e.id = a.event_id"
                    + " WHERE a.type = 'rebalance_load' AND e.node_id IN ('" + String.join("', '", nodes) + "')";
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> sys.pg.count(sys.db, rebalances + " AND a.claimed_until > now()") == nodes.size());
            sys.healing().kill();
            // What the dead process left: no rebalance done, calls it had started still claimed.
            assertEquals(0, sys.pg.count(sys.db, rebalances + " AND a.status <> 'pending'"), "no rebalance completed");
            long inFlight = sys.pg.count(sys.db, rebalances + " AND a.claimed_until IS NOT NULL");
            System.out.printf("healing service killed with %d of %d rebalance calls in flight%n", inFlight, nodes.size());
            assertTrue(inFlight >= 1, "rebalance calls were in flight when the process died");
        } finally {
            sys.loadBalancer().thaw();
            if (!sys.healing().alive()) {
                sys.healing().start();
                sys.healing().awaitReady(Duration.ofSeconds(60));
            }
        }

        JsonPath events = awaitAllResolved(f.hot(), nodes.size(), Duration.ofSeconds(60));
        // never more than one plan per action, although calls were in flight when the process died (their
        // keys replay); shared calls (coalesced per group) make fewer
        long plans = plansForGroup(f.group());
        assertTrue(plans >= 1 && plans <= 20, "each rebalance applied at most once: " + plans);
        // The resync_memory actions reached the daemon under their own keys (a retry replays the stored answer;
        // actions sharing one call, coalesced per zone, send one of their keys).
        List<String> keys = events.getList("events.collect { it.repair_actions.find { a -> a.type == 'resync_memory' }.id }");
        Set<String> answered = sys.pg.strings(sys.db, "SELECT key FROM recovery.idempotency_key WHERE route = 'POST /system/daemon/zones/{zone}/recover'");
        assertTrue(keys.stream().anyMatch(answered::contains), "the resync_memory actions reached the daemon under their own keys");
    }

    /** 200 identical firing signals spread over two healing instances: one event, 200 occurrences. */
    @Test
    @Order(3)
    void twoHealingInstancesDeduplicateThroughTheDatabase() throws Exception {
        ServiceProcess second = sys.addInstance(MythosSystem.HEALING);
        second.awaitReady(Duration.ofSeconds(60));
        Api.Fleet f = api.fleet();
        String node = Api.id("dedup");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String base = (i % 2 == 0 ? sys.healing() : second).url();
                calls.add(() -> RestAssured.given().baseUri(base).contentType(ContentType.JSON)
                        .body(Map.of("node_id", node, "assistant_id", f.hot(), "kind", "codex_conflict"))
                        .post("/system/health/signals").statusCode());
            }
            for (Future<Integer> r : pool.invokeAll(calls)) {
                assertEquals(202, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        List<Map<String, Object>> events = api.events(node);
        assertEquals(1, events.size(), "one event for one node and trigger");
        assertEquals(200, events.get(0).get("occurrences"));
    }

    /** Split tasks claimed by many workers through two load balancer instances: one claim per task. */
    @Test
    @Order(4)
    void twoLoadBalancerInstancesNeverGiveATaskTwice() throws Exception {
        ServiceProcess second = sys.addInstance(MythosSystem.LOAD_BALANCER);
        second.awaitReady(Duration.ofSeconds(60));
        String group = Api.id("split");
        List<Map<String, Object>> codices = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            codices.add(Map.of("codex_id", group + "-huge-" + i, "assistant_id", group + "-a", "pressure", 50.0));
        }
        api.pressure(Map.of(
                "assistants", List.of(
                        Map.of("assistant_id", group + "-a", "group", group, "capacity", 10.0, "memory_entropy", 0.0),
                        Map.of("assistant_id", group + "-b", "group", group, "capacity", 10.0, "memory_entropy", 0.0)),
                "codices", codices));
        JsonPath plan = RestAssured.given().baseUri(sys.loadBalancer().url()).contentType(ContentType.JSON)
                .body(Map.of("group", group)).post("/system/load/rebalance")
                .then().statusCode(200).extract().jsonPath();
        int tasks = plan.getList("decentralization_tasks").size();
        assertEquals(20, tasks, "each codex too heavy for any assistant becomes a split task");

        Set<String> planned = new HashSet<>(plan.getList("decentralization_tasks.task_id"));

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<String> claimed = new ArrayList<>();
        int none = 0;
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String base = (i % 2 == 0 ? sys.loadBalancer() : second).url();
                String worker = "w" + i;
                calls.add(() -> RestAssured.given().baseUri(base).contentType(ContentType.JSON)
                        .body(Map.of("worker", worker)).post("/system/load/tasks/claim"));
            }
            for (Future<Response> r : pool.invokeAll(calls)) {
                Response answer = r.get();
                if (answer.statusCode() == 200) {
                    claimed.add(answer.jsonPath().getString("task_id"));
                } else {
                    assertEquals(204, answer.statusCode(), "a claim is a task or no task: " + answer.asString());
                    none++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(tasks, claimed.size(), "one claim per task, no task twice: " + claimed);
        assertEquals(planned, new HashSet<>(claimed), "exactly this group's tasks were claimed");
        assertEquals(60 - tasks, none, "the other workers were told there is no task");
    }

    /** Two daemons recovering one zone at once: each replica version is resynced at most once. */
    @Test
    @Order(5)
    void twoDaemonsNeverResyncOneZoneTwice() throws Exception {
        ServiceProcess second = sys.addInstance(MythosSystem.DAEMON);
        second.awaitReady(Duration.ofSeconds(60));
        String zone = Api.id("twin");
        api.divergedZone(zone, zone + "-a", zone + "-b", zone + "-c");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> answeredRecords = new HashSet<>();
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String base = (i % 2 == 0 ? sys.daemon() : second).url();
                calls.add(() -> RestAssured.given().baseUri(base).contentType(ContentType.JSON).body("{}")
                        .post("/system/daemon/zones/" + zone + "/recover"));
            }
            for (Future<Response> r : pool.invokeAll(calls)) {
                Response answer = r.get();
                if (answer.statusCode() == 200) {
                    String record = answer.jsonPath().getString("id");
                    if (record != null) {
                        answeredRecords.add(record);
                    } else {
                        assertEquals("converged", answer.jsonPath().getString("status"), answer.asString());
                    }
                } else {
                    // another recovery held the zone past the lock timeout: a conflict (never a 5xx); the caller retries
                    assertEquals(409, answer.statusCode(), answer.asString());
                    assertEquals("Conflict", answer.jsonPath().getString("title"));
                    assertEquals("1", answer.header("Retry-After"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertFalse(answeredRecords.isEmpty(), "the zone was recovered (not every call refused)");
        JsonPath events = RestAssured.given().baseUri(sys.daemon().url()).queryParam("limit", 500)
                .get("/system/daemon/zones/" + zone + "/events").then().statusCode(200).extract().jsonPath();
        assertEquals(answeredRecords, new HashSet<>(events.getList("events.id")),
                "each record written was answered to its caller (the daemon's own cycle is off)");
        Set<String> applied = new HashSet<>();
        List<List<Map<String, Object>>> attempts = events.getList("events.memory_resync_attempts");
        for (List<Map<String, Object>> record : attempts) {
            for (Map<String, Object> a : record) {
                if ("applied".equals(a.get("status"))) {
                    String key = a.get("assistant_id") + "@" + a.get("version");
                    assertTrue(applied.add(key), "replica version resynced twice: " + key);
                }
            }
        }
        assertFalse(applied.isEmpty(), "resyncs were applied");
    }

    /** The assistant's events once all are resolved: {@code count} of them, none active or failed. */
    private static JsonPath awaitAllResolved(String assistant, int count, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> Set.of("resolved").equals(Set.copyOf(api.eventsOf(assistant).getList("events.status"))));
        JsonPath events = api.eventsOf(assistant);
        assertEquals(count, events.getInt("total"));
        return events;
    }

    private static long plansForGroup(String group) {
        JsonPath plans = api.plans(500);
        return plans.getList("plans.scope.group").stream().filter(group::equals).count();
    }
}
