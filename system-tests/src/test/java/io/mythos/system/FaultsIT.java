package io.mythos.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        sys = MythosSystem.start(Postgres.shared(), "mythos_system_faults", MythosSystem.FAST);
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
        sys.loadBalancer().stop();
        long stoppedAt = System.nanoTime();
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String node = Api.id("lb-down");
            nodes.add(node);
            api.signal(node, f.hot(), "entropy_spike", 0.95).then().statusCode(202);
        }
        // While it is down, every rebalance stays pending (never failed, never skipped).
        for (String node : nodes.subList(0, 5)) {
            Map<String, Object> e = api.events(node).get(0);
            assertEquals("active", e.get("status"));
        }
        ServiceProcess.pause(Math.max(0, 30_000 - (System.nanoTime() - stoppedAt) / 1_000_000));
        sys.loadBalancer().start();
        sys.loadBalancer().awaitReady(Duration.ofSeconds(60));

        // Within 10 s of the restart plus the backoff cap (5 s in these tests).
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> nodes.stream().allMatch(n -> "resolved".equals(api.events(n).get(0).get("status"))));
        for (String node : nodes) {
            JsonPath e = api.event((String) api.events(node).get(0).get("id"));
            assertEquals(List.of("succeeded", "succeeded"), e.getList("repair_actions.status"), node);
        }
        // One rebalance_load action per event, and exactly one stored plan per action.
        assertEquals(50, plansForGroup(f.group()), "plans applied for the 50 rebalance actions");
    }

    /** SIGKILL right after the 202s: after a restart every action completes, each effect once. */
    @Test
    @Order(2)
    void healingKilledAfterAcceptingLosesNothing() {
        Api.Fleet f = api.fleet();
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String node = Api.id("kill");
            nodes.add(node);
            api.signal(node, f.hot(), "entropy_spike", 0.9).then().statusCode(202);
        }
        sys.healing().kill();
        sys.healing().start();
        sys.healing().awaitReady(Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> nodes.stream().allMatch(n -> "resolved".equals(api.events(n).get(0).get("status"))));
        assertEquals(20, plansForGroup(f.group()), "each rebalance applied exactly once");
        // The daemon answered each resync_memory action's key once (a retry replays the stored answer).
        Set<String> keys = new HashSet<>();
        for (String node : nodes) {
            JsonPath e = api.event((String) api.events(node).get(0).get("id"));
            List<String> types = e.getList("repair_actions.type");
            keys.add(e.getString("repair_actions[" + types.indexOf("resync_memory") + "].id"));
        }
        Set<String> answered = sys.pg.strings(sys.db, "SELECT idempotency_key FROM recovery.recover_request");
        assertTrue(answered.containsAll(keys), "every resync_memory action reached the daemon under its own key");
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

        ExecutorService pool = Executors.newFixedThreadPool(16);
        Set<String> claimed = new HashSet<>();
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String base = (i % 2 == 0 ? sys.loadBalancer() : second).url();
                String worker = "w" + i;
                calls.add(() -> {
                    var r = RestAssured.given().baseUri(base).contentType(ContentType.JSON)
                            .body(Map.of("worker", worker)).post("/system/load/tasks/claim");
                    return r.statusCode() == 200 ? r.jsonPath().getString("task_id") : null;
                });
            }
            for (Future<String> r : pool.invokeAll(calls)) {
                String id = r.get();
                if (id != null) {
                    assertTrue(claimed.add(id), "task " + id + " was given twice");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(claimed.size() >= tasks, "all " + tasks + " tasks of this group were claimed, got " + claimed.size());
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
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String base = (i % 2 == 0 ? sys.daemon() : second).url();
                calls.add(() -> RestAssured.given().baseUri(base).contentType(ContentType.JSON).body("{}")
                        .post("/system/daemon/zones/" + zone + "/recover").statusCode());
            }
            for (Future<Integer> r : pool.invokeAll(calls)) {
                int status = r.get();
                // 503: another recovery held the zone past the lock timeout; the caller retries
                assertTrue(status == 200 || status == 503, "recover answered " + status);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonPath events = RestAssured.given().baseUri(sys.daemon().url()).queryParam("limit", 500)
                .get("/system/daemon/zones/" + zone + "/events").then().statusCode(200).extract().jsonPath();
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
        assertTrue(!applied.isEmpty(), "the zone was recovered");
    }

    private static long plansForGroup(String group) {
        JsonPath plans = api.plans(500);
        return plans.getList("plans.scope.group").stream().filter(group::equals).count();
    }
}
