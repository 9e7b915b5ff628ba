package io.mythos.daemon.service;

import io.mythos.platform.testing.TestTokens;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.equalTo;

import io.mythos.common.daemon.RecoveryRecord;
import io.mythos.common.daemon.RecoveryRecord.ResyncAttempt;
import io.mythos.common.daemon.ResyncOutcome;
import io.mythos.common.daemon.ZoneStatus;
import io.mythos.daemon.belief.Replica;
import io.mythos.daemon.belief.ZoneRecoveryTest;
import io.mythos.daemon.repository.ReplicaRepository;
import io.mythos.daemon.rest.Reports;
import io.mythos.platform.web.ProblemException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The recovery against the real database: convergence, conflicts, the per-zone lock. The races are
 * made with transactions of the test's own that hold rows or zones (HeldTransaction), not with hooks.
 */
@QuarkusTest
class ZoneRecoveryServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ZoneRecoveryService recovery;

    @Inject
    ReplicaRepository replicas;

    @Inject
    Pool pool;

    @BeforeEach
    void doubles() {
        Reports.useDoubles();
    }

    private ZoneRecoveryService.CycleResult cycle() {
        return recovery.runCycle().await().atMost(WAIT);
    }

    private Map<String, Double> storedBeliefs(String zone, String assistantId) {
        return pool.preparedQuery("SELECT beliefs FROM recovery.replica WHERE zone = $1 AND assistant_id = $2")
                .execute(Tuple.of(zone, assistantId)).await().atMost(WAIT)
                .iterator().next().getJsonObject("beliefs").getMap().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> ((Number) e.getValue()).doubleValue()));
    }

    @Test
    void aPerturbedZoneConvergesWithinSixCyclesOnANonIncreasingRecordedPath() {
        String zone = Reports.newZone();
        long seed = new Random().nextLong();
        for (Replica r : ZoneRecoveryTest.perturbedZone(new Random(seed), 64)) {
            Reports.report(zone, r.assistantId(), r.beliefs());
        }
        int cycles = 0;
        ZoneStatus status = ZoneStatus.DIVERGED;
        while (status != ZoneStatus.CONVERGED) {
            assertTrue(++cycles <= 7, "seed " + seed + ": zone not converged after 6 recovery cycles");
            ZoneRecoveryService.ZoneResult result = cycle().zones().get(zone);
            assertNotNull(result, "the cycle checked the zone");
            status = result.status();
            if (result.record() != null) {
                double score = result.record().recoveryScore();
                assertTrue(score >= 0 && score <= 1);
            }
        }
        List<Float> path = given().when().get("/system/daemon/zones/" + zone).then().statusCode(200)
                .extract().jsonPath().getList("convergence.divergence", Float.class);
        assertTrue(path.size() <= 6, "seed " + seed + ": recoveries: " + path);
        for (int i = 1; i < path.size(); i++) {
            assertTrue(path.get(i) <= path.get(i - 1), "seed " + seed + ": path rose: " + path);
        }
        assertTrue(path.get(path.size() - 1) <= 0.02);

        // converged: later cycles do not touch it (no record, no path point, no scripts)
        for (int i = 0; i < 2; i++) {
            assertNull(cycle().zones().get(zone));
        }
        given().when().get("/system/daemon/zones/" + zone + "/events").then().statusCode(200)
                .body("total", equalTo(path.size()));
        given().when().get("/system/daemon/zones/" + zone).then()
                .body("convergence.size()", equalTo(path.size()))
                .body("status", equalTo("converged"));
    }

    @Test
    void aReportCommittedBetweenReadAndResyncIsAConflictAndSurvives() throws Exception {
        String zone = Reports.divergedZone();
        Map<String, Double> reported = Map.of("x", 0.95, "y", 0.3);
        ZoneRecoveryService.CycleResult result;
        try (HeldTransaction report = HeldTransaction.begin(pool)) {
            // A report's write, not yet committed: the cycle reads a4 at version 1 (it does not wait for
            // readers), then its version-checked resync waits for a4's row until the report commits.
            assertEquals(2, replicas.upsert(report.connection(), zone, "a4", reported).await().atMost(WAIT));
            CompletableFuture<ZoneRecoveryService.CycleResult> cycle = recovery.runCycle().subscribeAsCompletionStage();
            report.awaitBlocking();
            report.commit();
            result = cycle.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        RecoveryRecord record = result.zones().get(zone).record();
        ResyncAttempt attempt = record.memoryResyncAttempts().get(0);
        assertEquals("a4", attempt.assistantId());
        assertEquals(ResyncOutcome.CONFLICT, attempt.status());
        assertEquals(1, attempt.version());
        assertTrue(record.assistantReflectionScripts().contains("a4: conflict"));
        assertEquals(reported, storedBeliefs(zone, "a4"), "the concurrent report was overwritten");
        given().when().get("/system/daemon/zones/" + zone).then()
                .body("replica_states.find { it.assistant_id == 'a4' }.version", equalTo(2));

        // retried next cycle, against the report
        RecoveryRecord next = cycle().zones().get(zone).record();
        ResyncAttempt retried = next.memoryResyncAttempts().stream().filter(a -> a.assistantId().equals("a4"))
                .findFirst().orElseThrow();
        assertEquals(ResyncOutcome.APPLIED, retried.status());
        assertEquals(2, retried.version());
    }

    /** Another instance's recovery of {@code zone}, in progress: it holds the zone's lock until the test ends it. */
    private HeldTransaction recoveryInProgress(String zone) {
        HeldTransaction other = HeldTransaction.begin(pool);
        assertNotNull(recovery.recover(other.connection(), zone).await().atMost(WAIT).zones().get(zone).record());
        return other;
    }

    @Test
    void aZoneAnotherRecoveryHoldsIsSkippedByTheCycleAndRecoverZoneGivesUpWith409() {
        String zone = Reports.divergedZone();
        try (HeldTransaction other = recoveryInProgress(zone)) {
            assertNull(cycle().zones().get(zone), "the cycle took a zone another recovery holds");
            ProblemException busy = assertThrows(ProblemException.class,
                    () -> recovery.recoverZone(zone, null).await().atMost(WAIT));
            assertEquals(409, busy.status());
            assertEquals(1, busy.retryAfterSeconds());
        } // rolled back: the other recovery never happened
        given().when().get("/system/daemon/zones/" + zone + "/events").then().body("total", equalTo(0));
        assertNotNull(cycle().zones().get(zone).record(), "the zone is recovered once released");
    }

    @TestHTTPResource("/system/daemon/zones/")
    URI zonesUri;

    private CompletableFuture<HttpResponse<String>> recoverOverHttp(String zone) {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(zonesUri.resolve(zone + "/recover"))
                .header("Authorization", TestTokens.authorization())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRecoverRouteWaitsForARecoveryInProgressThenRecoversFromWhatItLeft() throws Exception {
        String zone = Reports.divergedZone();
        CompletableFuture<HttpResponse<String>> answer;
        try (HeldTransaction other = recoveryInProgress(zone)) {
            answer = recoverOverHttp(zone);
            other.awaitBlocking(); // the route waits for the zone...
            other.commit(); // ...which the other recovery releases well within the lock timeout
        }
        HttpResponse<String> waited = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, waited.statusCode(), waited.body());
        JsonObject body = new JsonObject(waited.body());
        assertEquals(zone, body.getString("network_zone"));
        // the other recovery had already halved a4's divergence: this one starts from 0.2
        assertEquals(0.2, body.getJsonObject("detected_failure").getDouble("zone_divergence"), 1e-9);
        given().when().get("/system/daemon/zones/" + zone + "/events").then().body("total", equalTo(2));
    }

    /**
     * A zone held past the timeout (by a cycle or another instance) is a conflict with a recovery in
     * progress: 409 with Retry-After, never a 5xx (issue 12), and the healing service's outbox retries it.
     */
    @Test
    void theRecoverRouteAnswers409ProblemWhenTheZoneStaysHeldPastTheTimeout() throws Exception {
        String zone = Reports.divergedZone();
        HttpResponse<String> busy;
        try (HeldTransaction other = recoveryInProgress(zone)) {
            busy = recoverOverHttp(zone).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            other.commit();
        }
        assertEquals(409, busy.statusCode(), busy.body());
        assertEquals("application/problem+json", busy.headers().firstValue("Content-Type").orElse(""));
        assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
        JsonObject problem = new JsonObject(busy.body());
        assertEquals("about:blank", problem.getString("type"));
        assertEquals("Conflict", problem.getString("title"));
        assertEquals(409, problem.getInteger("status"));
        assertTrue(problem.getString("detail").contains("is being recovered"), problem.encode());
        given().when().get("/system/daemon/zones/" + zone + "/events").then().body("total", equalTo(1));
    }

    private CompletableFuture<HttpResponse<String>> recoverOverHttp(String zone, String key) {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(zonesUri.resolve(zone + "/recover"))
                .header("Authorization", TestTokens.authorization()).header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Issue 12: 20 recovers of one zone (10 keys, each sent twice) and a cycle at once. Each is a 200 or a
     * 409 (never a 5xx); two requests with one key get one answer; and the zone's state agrees with itself:
     * one path point and one cycle per record, every answered record among the zone's records, and fewer
     * recoveries than requests (the requests that waited share one).
     */
    @Test
    void twentyConcurrentRecoversAndACycleOfOneZoneAreAnsweredAndLeaveItConsistent() throws Exception {
        String zone = Reports.newZone();
        Random random = new Random(7);
        for (int r = 0; r < 40; r++) {
            Map<String, Double> beliefs = new java.util.HashMap<>();
            for (int b = 0; b < 200; b++) {
                beliefs.put("b" + b, random.nextDouble());
            }
            Reports.report(zone, "a" + r, beliefs);
        }
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        CompletableFuture<ZoneRecoveryService.CycleResult> cycle = null;
        for (int i = 0; i < 20; i++) {
            String key = "k-" + (i / 2) + "-" + zone;
            keys.add(key);
            answers.add(recoverOverHttp(zone, key));
            if (i == 10) {
                cycle = recovery.runCycle().subscribeAsCompletionStage();
            }
        }
        cycle.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Map<String, String> idByKey = new java.util.HashMap<>();
        Set<String> answered = new HashSet<>();
        int ok = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = answers.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 409, answer.statusCode() + ": " + answer.body());
            if (answer.statusCode() == 409) {
                assertEquals("1", answer.headers().firstValue("Retry-After").orElse(""));
                continue;
            }
            ok++;
            JsonObject body = new JsonObject(answer.body());
            String id = body.getString("id");
            if (id == null) { // recovered enough by the others
                assertEquals("converged", body.getString("status"), answer.body());
                id = "converged";
            } else {
                answered.add(id);
            }
            String before = idByKey.putIfAbsent(keys.get(i), id);
            assertTrue(before == null || before.equals(id), "one key, two records: " + before + " and " + id);
        }
        assertTrue(ok > 0, "no request was answered 200");
        var records = given().queryParam("limit", 500).when().get("/system/daemon/zones/" + zone + "/events").then()
                .statusCode(200).extract().jsonPath();
        int total = records.getInt("total");
        assertTrue(records.getList("events.id").containsAll(answered), answered + " not all in " + records.getList("events.id"));
        assertTrue(total < 20, "20 requests and a cycle made " + total + " recoveries: the waiting requests did not share");
        var detail = given().when().get("/system/daemon/zones/" + zone).then().statusCode(200).extract().jsonPath();
        assertEquals(total, detail.getInt("cycles"), "one cycle per record");
        assertEquals(total, detail.getList("convergence").size(), "one path point per record");
        assertEquals(0, recoveryTurns().zonesInFlight(), "nothing is left waiting");
    }

    private ZoneTurns recoveryTurns() {
        return recovery.turns();
    }

    /**
     * Requests that wait for their zone's turn behind a recovery that started before they arrived get the
     * answer of the next one, which started after they arrived, and only one of them recovers.
     */
    @Test
    void requestsWaitingForTheirZoneShareTheRecoveryThatStartedAfterThem() {
        String zone = Reports.divergedZone();
        ZoneTurns.Turn held = recoveryTurns().take(zone, WAIT, () -> new IllegalStateException("busy"))
                .await().atMost(WAIT);
        held.starting(); // a recovery in progress before the requests arrive
        List<Uni<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(recovery.recoverZone(zone, i % 2 == 0 ? null : "k-" + i + "-" + zone).map(a -> a.body()));
        }
        // on a loaded machine a request may wait past the 1 s of the tests' timeout: a 409, never another recovery
        List<CompletableFuture<String>> pending = calls.stream()
                .map(c -> c.onFailure(e -> e instanceof ProblemException p && p.status() == 409).recoverWithItem("busy")
                        .subscribeAsCompletionStage()).toList();
        held.release();
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<String> p : pending) {
            String body = p.join();
            if (!"busy".equals(body)) {
                ids.add(new JsonObject(body).getString("id"));
            }
        }
        assertEquals(1, ids.size(), "one recovery for all of them: " + ids);
        given().when().get("/system/daemon/zones/" + zone + "/events").then().body("total", equalTo(1));
        assertEquals(0, recoveryTurns().zonesInFlight());
    }

    @Test
    void concurrentRecoveriesNeverApplyTwoResyncsToOneReplicaVersion() {
        String zone = Reports.divergedZone();
        Reports.report(zone, "a5", Map.of("x", 0.0));
        List<Uni<String>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(recovery.recoverZone(zone, null).map(a -> a.body()).onFailure(ProblemException.class).recoverWithItem("busy"));
        }
        List<String> answers = Uni.join().all(calls).andFailFast().await().atMost(WAIT);
        assertEquals(6, answers.size());
        List<Map<String, Object>> events = given().queryParam("limit", 500)
                .when().get("/system/daemon/zones/" + zone + "/events").then().statusCode(200)
                .extract().jsonPath().getList("events");
        Set<String> appliedVersions = new HashSet<>();
        for (Map<String, Object> e : events) {
            for (Object o : (List<?>) e.get("memory_resync_attempts")) {
                Map<?, ?> a = (Map<?, ?>) o;
                if ("applied".equals(a.get("status"))) {
                    assertTrue(appliedVersions.add(a.get("assistant_id") + "@" + a.get("version")),
                            "two recoveries resynced " + a.get("assistant_id") + " at version " + a.get("version"));
                }
            }
        }
        assertFalse(appliedVersions.isEmpty());
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyRecoverOnce() {
        String zone = Reports.divergedZone();
        String key = "k-" + UUID.randomUUID();
        List<Uni<String>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // a repeat that waited 3 s for the first in vain is a 409 (DESIGN.md "Idempotency"): possible on a slow machine
            calls.add(recovery.recoverZone(zone, key).map(a -> a.body())
                    .onFailure(e -> e instanceof ProblemException p && p.status() == 409).recoverWithItem("busy"));
        }
        List<String> answers = Uni.join().all(calls).andFailFast().await().atMost(WAIT);
        Set<String> ids = new HashSet<>();
        answers.stream().filter(a -> !"busy".equals(a)).forEach(a -> ids.add(new JsonObject(a).getString("id")));
        assertEquals(1, ids.size(), answers.toString());
        given().when().get("/system/daemon/zones/" + zone + "/events").then()
                .body("total", equalTo(1));
    }

    @Test
    void aZoneIsCheckedAgainAfterAReportEvenIfItWasConverged() {
        String zone = Reports.newZone();
        Reports.report(zone, "a1", Map.of("x", 0.5));
        Reports.report(zone, "a2", Map.of("x", 0.5));
        Reports.report(zone, "a3", Map.of("x", 0.5));
        assertEquals(ZoneStatus.CONVERGED, cycle().zones().get(zone).status());
        assertNull(cycle().zones().get(zone));
        Reports.report(zone, "a3", Map.of("x", 0.1));
        ZoneRecoveryService.ZoneResult after = cycle().zones().get(zone);
        assertEquals(ZoneStatus.DIVERGED, after.status()); // 0.4 halved to 0.2
        assertEquals(0.4, after.record().detectedFailure().zoneDivergence(), 1e-9);
        assertEquals(0.2, after.divergence(), 1e-9);
    }
}
