package io.mythos.healing.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;
import static io.mythos.healing.support.Fixtures.utc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.mythos.healing.support.Fixtures;
import io.mythos.healing.support.PeerProfile;
import io.mythos.platform.testing.PeerStub;
import io.mythos.platform.testing.PeerStubResource.InjectPeerStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repairs against HTTP stubs of the load balancer and the daemon, with the retrier running and
 * short delays (see {@link PeerProfile}). Each test aims its own group and zone, so that the stubs of
 * one test never answer another's calls.
 */
@QuarkusTest
@TestProfile(PeerProfile.class)
class PeerBehaviourTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String REBALANCE = "/system/load/rebalance";

    @InjectPeerStub
    PeerStub peers;

    @Inject
    Pool pool;

    static String plan(double pressureReduction) {
        return """
                {"plan_id": "%s", "scope": {"group": "g"}, "dry_run": false, "applied": true,
                 "before": {"max_utilization": 1.5, "mean_utilization": 0.8, "imbalance": 1.9},
                 "after": {"max_utilization": 0.9, "mean_utilization": 0.8, "imbalance": 1.1},
                 "pressure_reduction": %s, "moved_pressure": 3.5, "redistribution": [],
                 "decentralization_tasks": [], "ritual_spread": [], "computed_in_ms": 2,
                 "created_at": "2026-01-01T00:00:00Z"}""".formatted(UUID.randomUUID(), pressureReduction);
    }

    static String record(String zone, double score) {
        return """
                {"id": "%s", "network_zone": "%s",
                 "detected_failure": {"zone_divergence": 0.3, "threshold": 0.1, "replicas": []},
                 "memory_resync_attempts": [], "codex_realignment_vector": {},
                 "assistant_reflection_scripts": "", "recovery_score": %s, "created_at": "2026-01-01T00:00:00Z"}"""
                .formatted(UUID.randomUUID(), zone, score);
    }

    private static MappingBuilder rebalance(String group) {
        return post(urlEqualTo(REBALANCE)).withRequestBody(matchingJsonPath("$.group", equalTo(group)));
    }

    private static MappingBuilder recover(String zone) {
        return post(urlEqualTo("/system/daemon/zones/" + zone + "/recover"));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String fire(String a, String kind) {
        return Fixtures.post(signal(unique("node"), a, kind, kind.equals("entropy_spike") ? 0.9 : null, null))
                .statusCode(202).extract().path("fired[0].event_id");
    }

    private static JsonPath event(String id) {
        return given().get("/system/health/recovery/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitStatus(String id, String status) {
        Fixtures.await("event " + id + " to be " + status, WAIT, () -> status.equals(event(id).getString("status")));
        return event(id);
    }

    private static boolean warm;

    /**
     * The first calls of a cold JVM (class loading, the HTTP client's first connections) can outlast the
     * profile's 1 s read timeout on a loaded machine, and a timed-out call is retried: whichever test ran
     * first would count an extra attempt. One repair of each kind, run to its end before the first test,
     * warms both REST clients.
     */
    @BeforeEach
    void warmUpThePeerClientsOnce() {
        if (warm) {
            return;
        }
        String a = assistant();
        peers.server().stubFor(rebalance("g-" + a).willReturn(json(200, plan(0.1))));
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record("z-" + a, 0.1))));
        awaitStatus(fire(a, "entropy_spike"), "resolved");
        warm = true;
    }

    @Test
    void successFillsTheDeltaAndResolvesTheEvent() {
        String a = assistant();
        peers.server().stubFor(rebalance("g-" + a).willReturn(json(200, plan(0.4))));
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record("z-" + a, 0.8))));

        String id = fire(a, "entropy_spike");
        JsonPath e = awaitStatus(id, "resolved");

        assertEquals(0.6, e.getDouble("symbolic_health_delta"), 1e-9);
        assertThat(e.getString("resolved_at"), utc());
        assertEquals(List.of("succeeded", "succeeded"), e.getList("repair_actions.status"));
        assertEquals(List.of(1, 1), e.getList("repair_actions.attempts"));
        assertEquals(0.4, e.getDouble("repair_actions[0].improvement"), 1e-9);
        assertEquals(0.4, e.getDouble("repair_actions[0].result.pressure_reduction"), 1e-9);
        assertEquals(0.8, e.getDouble("repair_actions[1].result.recovery_score"), 1e-9);

        List<LoggedRequest> lb = peers.server().findAll(postRequestedFor(urlEqualTo(REBALANCE))
                .withRequestBody(matchingJsonPath("$.group", equalTo("g-" + a))));
        assertEquals(1, lb.size());
        assertEquals(e.getString("repair_actions[0].id"), lb.get(0).getHeader("Idempotency-Key"));
        assertTrue(lb.get(0).getBodyAsString().contains("\"dry_run\":false"), lb.get(0).getBodyAsString());
        List<LoggedRequest> daemon = peers.server().findAll(postRequestedFor(urlEqualTo("/system/daemon/zones/z-" + a + "/recover")));
        assertEquals(1, daemon.size());
        assertEquals(e.getString("repair_actions[1].id"), daemon.get(0).getHeader("Idempotency-Key"));
    }

    /** Both peers are called with a short-lived service token that a peer trusting the same key accepts. */
    @Test
    void peerCallsCarryAServiceToken() throws Exception {
        String a = assistant();
        peers.server().stubFor(rebalance("g-" + a).willReturn(json(200, plan(0.1))));
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record("z-" + a, 0.1))));
        awaitStatus(fire(a, "entropy_spike"), "resolved");
        List<LoggedRequest> calls = new java.util.ArrayList<>(peers.server().findAll(postRequestedFor(urlEqualTo(REBALANCE))
                .withRequestBody(matchingJsonPath("$.group", equalTo("g-" + a)))));
        calls.addAll(peers.server().findAll(postRequestedFor(urlEqualTo("/system/daemon/zones/z-" + a + "/recover"))));
        assertEquals(2, calls.size());
        java.security.PublicKey key = io.smallrye.jwt.util.KeyUtils.decodePublicKey(
                java.nio.file.Files.readString(io.mythos.platform.testing.TestKeys.publicKey()));
        for (LoggedRequest call : calls) {
            String header = call.getHeader("Authorization");
            assertTrue(header != null && header.startsWith("Bearer "), call.getUrl() + ": " + header);
            org.eclipse.microprofile.jwt.JsonWebToken jwt = new io.smallrye.jwt.auth.principal.DefaultJWTParser(
                    new io.smallrye.jwt.auth.principal.JWTAuthContextInfo((java.security.interfaces.RSAPublicKey) key, "mythos"))
                    .parse(header.substring("Bearer ".length()));
            assertEquals(java.util.Set.of("service"), jwt.getGroups());
            assertTrue(jwt.getExpirationTime() - jwt.getIssuedAtTime() <= 300, "at most 5 minutes");
        }
    }

    /** A peer that refuses the token: final at once (one attempt, no retry loop), with a readable last_error. */
    @Test
    void aPeerAnswering401FailsTheActionAtOnceWithAReadableError() throws InterruptedException {
        String a = assistant();
        peers.server().stubFor(rebalance("g-" + a).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"").withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\": \"about:blank\", \"title\": \"Unauthorized\", \"status\": 401, "
                        + "\"detail\": \"internal-host-17:5432 said no\"}")));
        peers.server().stubFor(recover("z-" + a).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\": \"about:blank\", \"title\": \"Forbidden\", \"status\": 403}")));
        String id = fire(a, "entropy_spike");
        JsonPath e = awaitStatus(id, "failed");
        assertEquals(List.of("failed", "failed"), e.getList("repair_actions.status"));
        assertEquals(List.of(1, 1), e.getList("repair_actions.attempts"));
        String unauthorized = e.getString("repair_actions[0].last_error");
        assertTrue(unauthorized.startsWith("the load balancer answered HTTP 401 (Unauthorized): it refused this service's token"),
                unauthorized);
        assertTrue(!unauthorized.contains("internal-host") && !unauthorized.contains("5432"), "no peer body: " + unauthorized);
        assertTrue(e.getString("repair_actions[1].last_error")
                .startsWith("the recovery daemon answered HTTP 403 (Forbidden): this service's token lacks the role"),
                e.getString("repair_actions[1].last_error"));
        Thread.sleep(1500); // the retrier runs every second: it must not pick them up again
        assertEquals(List.of(1, 1), event(id).getList("repair_actions.attempts"));
        assertEquals(1, peers.server().findAll(postRequestedFor(urlEqualTo(REBALANCE))
                .withRequestBody(matchingJsonPath("$.group", equalTo("g-" + a)))).size());
    }

    @Test
    void ritualFailureSpreadsRitualsOfTheAssistant() {
        String a = assistant();
        peers.server().stubFor(post(urlEqualTo(REBALANCE)).withRequestBody(matchingJsonPath("$.assistant_id", equalTo(a)))
                .willReturn(json(200, plan(0.25))));
        String node = unique("node");
        String id = Fixtures.post("[" + String.join(",", java.util.Collections.nCopies(3, signal(node, a, "ritual_failure", null, null))) + "]")
                .statusCode(202).extract().path("fired[0].event_id");
        JsonPath e = awaitStatus(id, "resolved");
        assertEquals(0.25, e.getDouble("symbolic_health_delta"), 1e-9);
        LoggedRequest call = peers.server().findAll(postRequestedFor(urlEqualTo(REBALANCE))
                .withRequestBody(matchingJsonPath("$.assistant_id", equalTo(a)))).get(0);
        assertNull(JsonPath.from(call.getBodyAsString()).get("group"), "spread_rituals names the assistant only");
    }

    @Test
    void convergedZoneSucceedsWithAnImprovementOfZero() {
        String a = assistant();
        peers.server().stubFor(recover("z-" + a)
                .willReturn(json(200, "{\"network_zone\": \"z-" + a + "\", \"status\": \"converged\", \"divergence\": 0.01}")));
        String id = fire(a, "codex_conflict");
        JsonPath e = awaitStatus(id, "resolved");
        assertEquals(0.0, e.getDouble("symbolic_health_delta"), 1e-9);
        assertEquals("succeeded", e.getString("repair_actions[0].status"));
        assertEquals("converged", e.getString("repair_actions[0].result.status"));
    }

    @Test
    void notFoundIsSkippedAndTheEventResolvedWithoutDelta() {
        String a = assistant();
        peers.server().stubFor(recover("z-" + a).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\": \"about:blank\", \"title\": \"Not Found\", \"status\": 404, \"detail\": \"no replicas\"}")));
        String id = fire(a, "codex_conflict");
        JsonPath e = awaitStatus(id, "resolved");
        assertEquals("skipped", e.getString("repair_actions[0].status"));
        assertEquals(1, e.getInt("repair_actions[0].attempts"));
        assertTrue(e.getString("repair_actions[0].last_error").contains("404"));
        assertNull(e.get("symbolic_health_delta"));
    }

    @Test
    void anotherClientErrorFailsTheActionAndTheEvent() {
        String a = assistant();
        peers.server().stubFor(rebalance("g-" + a).willReturn(json(400, "{\"status\": 400}")));
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record("z-" + a, 0.5))));
        String id = fire(a, "symbolic_error");
        JsonPath e = awaitStatus(id, "failed");
        assertEquals(List.of("failed", "succeeded"), e.getList("repair_actions.status"));
        assertEquals(1, e.getInt("repair_actions[0].attempts"), () -> "a 4xx is not retried: " + e.prettify());
        assertEquals(0.5, e.getDouble("symbolic_health_delta"), 1e-9);
        assertNotNull(e.getString("resolved_at"));
    }

    @Test
    void fiveServerErrorsThenSuccessTakesSixAttemptsWithOneIdempotencyKey() {
        String a = assistant();
        String zone = "z-" + a;
        for (int i = 0; i < 5; i++) {
            peers.server().stubFor(recover(zone).inScenario(zone)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i)
                    .willReturn(json(500, "{\"status\": 500}"))
                    .willSetStateTo("failed-" + (i + 1)));
        }
        peers.server().stubFor(recover(zone).inScenario(zone).whenScenarioStateIs("failed-5")
                .willReturn(json(200, record(zone, 0.7))));

        String id = fire(a, "codex_conflict");
        JsonPath e = awaitStatus(id, "resolved");
        assertEquals("succeeded", e.getString("repair_actions[0].status"));
        assertEquals(6, e.getInt("repair_actions[0].attempts"));
        assertEquals(0.7, e.getDouble("symbolic_health_delta"), 1e-9);

        List<LoggedRequest> calls = peers.server().findAll(postRequestedFor(urlEqualTo("/system/daemon/zones/" + zone + "/recover")));
        assertEquals(6, calls.size());
        String key = e.getString("repair_actions[0].id");
        calls.forEach(c -> assertEquals(key, c.getHeader("Idempotency-Key")));
    }

    @Test
    void serverErrorsUpToTheAttemptLimitFailTheAction() {
        String a = assistant();
        peers.server().stubFor(recover("z-" + a).willReturn(json(503, "{\"status\": 503}")));
        String id = fire(a, "codex_conflict");
        JsonPath e = awaitStatus(id, "failed");
        assertEquals(10, e.getInt("repair_actions[0].attempts"));
        assertEquals("failed", e.getString("repair_actions[0].status"));
        assertTrue(e.getString("repair_actions[0].last_error").startsWith("gave up after 10 attempts"),
                e.getString("repair_actions[0].last_error"));
    }

    @Test
    void timeoutLeavesTheActionPendingUntilThePeerAnswersInTime() {
        String a = assistant();
        String zone = "z-" + a;
        peers.server().stubFor(recover(zone).willReturn(json(200, record(zone, 0.9)).withFixedDelay(3000)));
        String id = fire(a, "codex_conflict");
        Fixtures.await("a timed-out attempt", WAIT, () -> event(id).getInt("repair_actions[0].attempts") >= 1);
        JsonPath pending = event(id);
        assertEquals("active", pending.getString("status"));
        assertEquals("pending", pending.getString("repair_actions[0].status"));
        assertTrue(pending.getString("repair_actions[0].last_error").toLowerCase().contains("timeout")
                || pending.getString("repair_actions[0].last_error").toLowerCase().contains("timed out"),
                pending.getString("repair_actions[0].last_error"));
        assertThat(pending.getString("repair_actions[0].next_attempt_at"), utc());

        peers.server().stubFor(recover(zone).willReturn(json(200, record(zone, 0.9))));
        JsonPath e = awaitStatus(id, "resolved");
        assertEquals(0.9, e.getDouble("symbolic_health_delta"), 1e-9);
        assertTrue(e.getInt("repair_actions[0].attempts") >= 2);
    }

    @Test
    void peerDownThenUpLosesNoActionAndKeepsTheIdempotencyKey() {
        String a = assistant();
        peers.down();
        String id;
        try {
            id = fire(a, "entropy_spike");
            Fixtures.await("refused attempts", WAIT, () -> {
                JsonPath e = event(id);
                return e.getInt("repair_actions[0].attempts") >= 2 && e.getInt("repair_actions[1].attempts") >= 2;
            });
            JsonPath down = event(id);
            assertEquals("active", down.getString("status"));
            assertEquals(List.of("pending", "pending"), down.getList("repair_actions.status"));
            assertTrue(down.getString("repair_actions[0].last_error").contains("Connect"),
                    down.getString("repair_actions[0].last_error"));
            // a category, not the exception: no host, port or class name
            assertEquals("Connection to the load balancer failed (refused or unreachable)",
                    down.getString("repair_actions[0].last_error"));
        } finally {
            peers.up();
        }
        peers.server().stubFor(rebalance("g-" + a).willReturn(json(200, plan(0.2))));
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record("z-" + a, 0.4))));
        JsonPath e = awaitStatus(id, "resolved");
        assertEquals(List.of("succeeded", "succeeded"), e.getList("repair_actions.status"));
        assertEquals(0.3, e.getDouble("symbolic_health_delta"), 1e-9);
        assertTrue(e.getInt("repair_actions[0].attempts") >= 3);
        List<LoggedRequest> lb = peers.server().findAll(postRequestedFor(urlEqualTo(REBALANCE))
                .withRequestBody(matchingJsonPath("$.group", equalTo("g-" + a))));
        assertEquals(1, lb.size());
        assertEquals(e.getString("repair_actions[0].id"), lb.get(0).getHeader("Idempotency-Key"));
    }

    /** What a stopped instance leaves behind: an event whose actions are pending (one mid-call). */
    @Test
    void actionsLeftPendingInTheDatabaseAreCompletedByThisInstance() {
        String a = assistant();
        UUID event = UUID.randomUUID();
        UUID rebalanceId = UUID.randomUUID();
        UUID resyncId = UUID.randomUUID();
        // the peers answer before the actions exist: a background run may pick them up as soon as they commit
        peers.server().stubFor(rebalance("g-" + a).willReturn(json(200, plan(0.5))));
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record("z-" + a, 0.3))));
        pool.withTransaction(c -> c.preparedQuery("""
                        INSERT INTO healing.healing_event (id, node_id, triggered_by, assistant_id, created_at)
                        VALUES ($1, $2, 'entropy_spike', $3, now() - interval '5 minutes')""")
                .execute(Tuple.of(event, unique("node"), a))
                .flatMap(x -> c.preparedQuery("""
                                INSERT INTO healing.repair_action
                                    (id, event_id, seq, type, target, status, attempts, next_attempt_at, claimed_until, last_error)
                                VALUES ($1, $3, 1, 'rebalance_load', $4, 'pending', 3, now() - interval '1 minute', NULL, 'HTTP 503'),
                                       ($2, $3, 2, 'resync_memory', $5, 'pending', 1, now() - interval '1 minute',
                                        now() - interval '1 second', NULL)""")
                        .execute(Tuple.of(rebalanceId, resyncId, event, "g-" + a, "z-" + a))))
                .await().atMost(Duration.ofSeconds(10));

        JsonPath e = awaitStatus(event.toString(), "resolved");
        assertEquals(List.of(4, 2), e.getList("repair_actions.attempts"));
        assertEquals(0.4, e.getDouble("symbolic_health_delta"), 1e-9);
        assertEquals(rebalanceId.toString(), peers.server().findAll(postRequestedFor(urlEqualTo(REBALANCE))
                .withRequestBody(matchingJsonPath("$.group", equalTo("g-" + a)))).get(0).getHeader("Idempotency-Key"));
        assertEquals(resyncId.toString(), peers.server().findAll(postRequestedFor(
                urlEqualTo("/system/daemon/zones/z-" + a + "/recover"))).get(0).getHeader("Idempotency-Key"));
    }

    /**
     * The counters move by what this test did (signals and opened events come only from the tests'
     * requests, which run one at a time; other tests' actions may still succeed in the background, hence
     * "at least" for the outcomes), and the gauge is a number refreshed from the database.
     */
    @Test
    void metricsCountSignalsEventsAndOutcomesAndGaugeTheActiveEvents() {
        String signals = "mythos_healing_signals_total{kind=\"codex_conflict\"}";
        String opened = "mythos_healing_events_fired_total{triggered_by=\"codex_conflict\"}";
        String succeeded = "mythos_healing_repair_actions_total{outcome=\"succeeded\",type=\"realign_codex\"}";
        Map<String, Double> before = metrics();
        String a = assistant();
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record("z-" + a, 0.5))));
        awaitStatus(fire(a, "codex_conflict"), "resolved");
        Map<String, Double> after = metrics();
        assertEquals(1.0, after.get(signals) - before.getOrDefault(signals, 0.0), 1e-9);
        assertEquals(1.0, after.get(opened) - before.getOrDefault(opened, 0.0), 1e-9);
        assertTrue(after.get(succeeded) - before.getOrDefault(succeeded, 0.0) >= 1.0, "the realign_codex success is counted");
        assertTrue(after.containsKey("mythos_healing_events_active"), "the gauge of active events is published");
    }

    /** The Prometheus samples of ours, by name with labels. */
    private static Map<String, Double> metrics() {
        Map<String, Double> samples = new HashMap<>();
        for (String line : given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith("mythos_healing_")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    @Test
    void theDaemonIsCalledWithAnEmptyJsonBody() {
        String a = assistant();
        peers.server().stubFor(recover("z-" + a).withRequestBody(equalToJson("{}"))
                .withHeader("Content-Type", containing("application/json"))
                .willReturn(json(200, record("z-" + a, 1.0))));
        JsonPath e = awaitStatus(fire(a, "codex_conflict"), "resolved");
        // any other body would miss the stub, and WireMock's 404 would make the action skipped
        assertEquals("succeeded", e.getString("repair_actions[0].status"));
    }

    /**
     * Issue 12: a 200 is checked, not trusted. A plan replayed for the action's key that was a dry run
     * (applied: false), or a daemon answer about another zone, is not a success.
     */
    @Test
    void aTwoHundredThatAppliedNothingOrNamesAnotherZoneFailsTheAction() {
        String a = assistant();
        peers.server().stubFor(rebalance("g-" + a).willReturn(json(200,
                plan(0.4).replace("\"dry_run\": false, \"applied\": true", "\"dry_run\": true, \"applied\": false"))));
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record("z-someone-else", 0.8))));
        JsonPath e = awaitStatus(fire(a, "entropy_spike"), "failed");
        assertEquals(List.of("failed", "failed"), e.getList("repair_actions.status"));
        assertTrue(e.getString("repair_actions[0].last_error").contains("not applied"), e.prettify());
        assertTrue(e.getString("repair_actions[1].last_error").contains("not a recovery of zone z-" + a), e.prettify());
        assertNull(e.get("symbolic_health_delta"));
    }

    /** A 409 with Retry-After (the peer still runs the first call with this key) is retried, not final. */
    @Test
    void aConflictWithRetryAfterIsRetriedUnderTheSameKey() {
        String a = assistant();
        String zone = "z-" + a;
        peers.server().stubFor(recover(zone).inScenario(zone).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(409).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"type\": \"about:blank\", \"title\": \"Conflict\", \"status\": 409}"))
                .willSetStateTo("answered"));
        peers.server().stubFor(recover(zone).inScenario(zone).whenScenarioStateIs("answered")
                .willReturn(json(200, record(zone, 0.6))));
        JsonPath e = awaitStatus(fire(a, "codex_conflict"), "resolved");
        assertEquals("succeeded", e.getString("repair_actions[0].status"));
        assertEquals(2, e.getInt("repair_actions[0].attempts"));
        List<LoggedRequest> calls = peers.server().findAll(postRequestedFor(urlEqualTo("/system/daemon/zones/" + zone + "/recover")));
        assertEquals(2, calls.size());
        assertEquals(calls.get(0).getHeader("Idempotency-Key"), calls.get(1).getHeader("Idempotency-Key"));
    }

    /** A whole-map plan: {@code moves} codex moves and {@code tasks} tasks, with the longest ids. */
    static String hugePlan(String group, int moves, int tasks) {
        StringBuilder b = new StringBuilder("""
                {"plan_id": "%s", "scope": {"group": "%s"}, "dry_run": false, "applied": true,
                 "before": {"max_utilization": 1.5, "mean_utilization": 0.8, "imbalance": 1.9},
                 "after": {"max_utilization": 0.9, "mean_utilization": 0.8, "imbalance": 1.1},
                 "pressure_reduction": 0.4, "moved_pressure": 3.5, "computed_in_ms": 2, "created_at": "2026-01-01T00:00:00Z",
                 "ritual_spread": [], "redistribution": [""".formatted(UUID.randomUUID(), group));
        String id = "x".repeat(140);
        for (int i = 0; i < moves; i++) {
            b.append(i == 0 ? "" : ",").append("{\"codex_id\": \"c").append(i).append(id)
                    .append("\", \"from_assistant\": \"a").append(id).append("\", \"to_assistant\": \"b").append(id)
                    .append("\", \"pressure\": 1e9}");
        }
        b.append("], \"decentralization_tasks\": [");
        for (int i = 0; i < tasks; i++) {
            b.append(i == 0 ? "" : ",").append("{\"task_id\": \"").append(UUID.randomUUID()).append("\", \"codex_id\": \"t")
                    .append(i).append(id).append("\", \"action\": \"split\", \"shards\": 7, \"status\": \"pending\"}");
        }
        return b.append("]}").toString();
    }

    /** A recovery record of {@code replicas} replicas of {@code beliefs} beliefs each. */
    static String hugeRecord(String zone, int replicas, int beliefs) {
        StringBuilder vectors = new StringBuilder();
        StringBuilder attempts = new StringBuilder();
        for (int r = 0; r < replicas; r++) {
            vectors.append(r == 0 ? "" : ",").append("\"replica-").append(r).append("\": {");
            for (int b = 0; b < beliefs; b++) {
                vectors.append(b == 0 ? "" : ",").append("\"belief-").append(b).append("\": 0.25");
            }
            vectors.append("}");
            attempts.append(r == 0 ? "" : ",").append("{\"assistant_id\": \"replica-").append(r)
                    .append("\", \"version\": 3, \"divergence_before\": 0.5, \"divergence_after\": 0.25, \"status\": \"applied\"}");
        }
        return """
                {"id": "%s", "network_zone": "%s",
                 "detected_failure": {"zone_divergence": 0.5, "threshold": 0.1, "replicas": []},
                 "memory_resync_attempts": [%s], "codex_realignment_vector": {%s},
                 "assistant_reflection_scripts": "%s", "recovery_score": 0.5, "created_at": "2026-01-01T00:00:00Z"}"""
                .formatted(UUID.randomUUID(), zone, attempts, vectors, "realign belief-1 by 0.25; ".repeat(replicas * 50));
    }

    /**
     * Issue 12: actions kept their peers' whole answers, so an event was as large as a whole-map plan and a
     * page of events outgrew the heap. An action keeps a bounded summary: the ids and figures it is checked
     * by, and the sizes of the answer's lists.
     */
    @Test
    void anActionKeepsABoundedSummaryOfAHugeAnswer() {
        String a = assistant();
        String plan = hugePlan("g-" + a, 4000, 3000);
        String record = hugeRecord("z-" + a, 60, 300);
        assertTrue(plan.length() > 1_000_000 && record.length() > 200_000, plan.length() + " and " + record.length());
        peers.server().stubFor(rebalance("g-" + a).willReturn(json(200, plan)));
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record)));
        String node = unique("node");
        String id = Fixtures.post(signal(node, a, "entropy_spike", 0.9, null)).statusCode(202).extract().path("fired[0].event_id");
        JsonPath e = awaitStatus(id, "resolved");

        assertEquals(List.of("succeeded", "succeeded"), e.getList("repair_actions.status"));
        assertEquals(0.45, e.getDouble("symbolic_health_delta"), 1e-9);
        Map<String, Object> rebalance = e.getMap("repair_actions[0].result");
        assertEquals(JsonPath.from(plan).getString("plan_id"), rebalance.get("plan_id"));
        assertEquals(true, rebalance.get("applied"));
        assertEquals(0.4, e.getDouble("repair_actions[0].result.pressure_reduction"), 1e-9);
        assertEquals(Map.of("group", "g-" + a), rebalance.get("scope"));
        assertEquals(Map.of("redistribution", 4000, "decentralization_tasks", 3000, "ritual_spread", 0), rebalance.get("counts"));
        assertEquals(java.util.Set.of("plan_id", "scope", "dry_run", "applied", "before", "after", "pressure_reduction",
                "moved_pressure", "computed_in_ms", "created_at", "counts"), rebalance.keySet());
        Map<String, Object> resync = e.getMap("repair_actions[1].result");
        assertEquals(JsonPath.from(record).getString("id"), resync.get("id"));
        assertEquals("z-" + a, resync.get("network_zone"));
        assertEquals(0.5, e.getDouble("repair_actions[1].result.recovery_score"), 1e-9);
        assertEquals(Map.of("memory_resync_attempts", 60, "codex_realignment_vector", 60), resync.get("counts"));
        assertEquals(java.util.Set.of("id", "network_zone", "detected_failure", "recovery_score", "created_at", "counts"),
                resync.keySet());

        // the event and a page of events stay small
        String one = given().get("/system/health/recovery/" + id).then().statusCode(200).extract().asString();
        assertTrue(one.length() < 4096, "the event is " + one.length() + " characters");
        String page = given().queryParam("status", "all").queryParam("node_id", node).queryParam("limit", 500)
                .get("/system/health/recovery").then().statusCode(200).extract().asString();
        assertTrue(page.length() < 4096, "the page is " + page.length() + " characters");
    }

    /**
     * V40 cuts the whole answers stored before it down to the summary the client keeps now: run on an
     * action given a whole answer again, it writes exactly what the client wrote (then rolled back).
     */
    @Test
    void theMigrationCutsStoredAnswersToTheClientsSummary() throws Exception {
        String a = assistant();
        String plan = hugePlan("g-" + a, 50, 20);
        String record = hugeRecord("z-" + a, 5, 10);
        peers.server().stubFor(rebalance("g-" + a).willReturn(json(200, plan)));
        peers.server().stubFor(recover("z-" + a).willReturn(json(200, record)));
        JsonPath e = awaitStatus(fire(a, "entropy_spike"), "resolved");
        UUID rebalanceId = UUID.fromString(e.getString("repair_actions[0].id"));
        UUID resyncId = UUID.fromString(e.getString("repair_actions[1].id"));
        String script;
        try (var in = getClass().getClassLoader().getResourceAsStream("db/migration/V40__bounded_action_results.sql")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String select = "SELECT result::text FROM healing.repair_action WHERE id = $1";
        Map<String, String> kept = new HashMap<>();
        Map<String, String> migrated = new HashMap<>();
        pool.withConnection(c -> c.begin().chain(tx -> c.preparedQuery(select).execute(Tuple.of(rebalanceId))
                .invoke(r -> kept.put("plan", r.iterator().next().getString(0)))
                .chain(() -> c.preparedQuery(select).execute(Tuple.of(resyncId)))
                .invoke(r -> kept.put("record", r.iterator().next().getString(0)))
                .chain(() -> c.preparedQuery("UPDATE healing.repair_action SET result = $2::text::jsonb WHERE id = $1")
                        .execute(Tuple.of(rebalanceId, plan)))
                .chain(() -> c.preparedQuery("UPDATE healing.repair_action SET result = $2::text::jsonb WHERE id = $1")
                        .execute(Tuple.of(resyncId, record)))
                .chain(() -> c.query("SET LOCAL search_path TO healing").execute())
                .chain(() -> c.query(script).execute())
                .chain(() -> c.preparedQuery(select).execute(Tuple.of(rebalanceId)))
                .invoke(r -> migrated.put("plan", r.iterator().next().getString(0)))
                .chain(() -> c.preparedQuery(select).execute(Tuple.of(resyncId)))
                .invoke(r -> migrated.put("record", r.iterator().next().getString(0)))
                .eventually(tx::rollback))).await().atMost(Duration.ofSeconds(30));
        assertEquals(JsonPath.from(kept.get("plan")).getMap(""), JsonPath.from(migrated.get("plan")).getMap(""));
        assertEquals(JsonPath.from(kept.get("record")).getMap(""), JsonPath.from(migrated.get("record")).getMap(""));
        assertEquals(50, JsonPath.from(migrated.get("plan")).getInt("counts.redistribution"));
    }

    private static com.github.tomakehurst.wiremock.matching.StringValuePattern containing(String s) {
        return com.github.tomakehurst.wiremock.client.WireMock.containing(s);
    }
}
