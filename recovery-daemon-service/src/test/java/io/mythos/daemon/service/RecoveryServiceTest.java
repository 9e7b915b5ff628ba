package io.mythos.daemon.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.daemon.BeliefReport;
import io.mythos.common.daemon.RecoveryRecord;
import io.mythos.common.daemon.RecoveryRecord.ResyncAttempt;
import io.mythos.common.daemon.ZoneStatus;
import io.mythos.platform.web.ProblemException;
import io.mythos.daemon.belief.Replica;
import io.mythos.daemon.belief.ZoneRecoveryTest;
import io.mythos.daemon.rest.Reports;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cycle against the real database: convergence, conflicts, the per-zone lock. */
@QuarkusTest
class RecoveryServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    RecoveryService recovery;

    @Inject
    BeliefService beliefs;

    @Inject
    Pool pool;

    @BeforeEach
    void doubles() {
        Reports.useDoubles();
    }

    @AfterEach
    void unhook() {
        recovery.afterRead(zones -> Uni.createFrom().voidItem());
    }

    private RecoveryService.CycleResult cycle() {
        return recovery.runCycle().await().atMost(WAIT);
    }

    private Map<String, Double> storedBeliefs(String zone, String assistantId) {
        return pool.preparedQuery("SELECT beliefs FROM recovery.replica WHERE zone = $1 AND assistant_id = $2")
                .execute(Tuple.of(zone, assistantId)).await().atMost(WAIT)
                .iterator().next().getJsonObject("beliefs").getMap().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> ((Number) e.getValue()).doubleValue()));
    }

    @Test
    void aPerturbedZoneConvergesWithinSixCyclesOnANonIncreasingRecordedPath() {
        String zone = Reports.newZone();
        for (Replica r : ZoneRecoveryTest.perturbedZone(new Random(), 64)) {
            Reports.report(zone, r.assistantId(), r.beliefs());
        }
        int cycles = 0;
        ZoneStatus status = ZoneStatus.DIVERGED;
        while (status != ZoneStatus.CONVERGED) {
            assertTrue(++cycles <= 7, "zone not converged after 6 recovery cycles");
            RecoveryService.ZoneResult result = cycle().zones().get(zone);
            assertNotNull(result, "the cycle checked the zone");
            status = result.status();
            if (result.record() != null) {
                double score = result.record().recoveryScore();
                assertTrue(score >= 0 && score <= 1);
            }
        }
        List<Float> path = given().when().get("/system/daemon/zones/" + zone).then().statusCode(200)
                .extract().jsonPath().getList("convergence.divergence", Float.class);
        assertTrue(path.size() <= 6, "recoveries: " + path);
        for (int i = 1; i < path.size(); i++) {
            assertTrue(path.get(i) <= path.get(i - 1), "path rose: " + path);
        }
        assertTrue(path.get(path.size() - 1) <= 0.02);

        // converged: later cycles do not touch it (no record, no path point, no scripts)
        for (int i = 0; i < 2; i++) {
            assertNull(cycle().zones().get(zone));
        }
        given().when().get("/system/daemon/zones/" + zone + "/events").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(path.size()));
        given().when().get("/system/daemon/zones/" + zone).then()
                .body("convergence.size()", org.hamcrest.Matchers.equalTo(path.size()))
                .body("status", org.hamcrest.Matchers.equalTo("converged"));
    }

    @Test
    void aReportBetweenReadAndResyncIsAConflictAndSurvives() {
        String zone = Reports.divergedZone();
        Map<String, Double> reported = Map.of("x", 0.95, "y", 0.3);
        AtomicBoolean raced = new AtomicBoolean();
        recovery.afterRead(zones -> zones.contains(zone) && raced.compareAndSet(false, true)
                ? beliefs.report(zone, new BeliefReport("a4", reported)).replaceWithVoid()
                : Uni.createFrom().voidItem());

        RecoveryRecord record = cycle().zones().get(zone).record();

        assertTrue(raced.get());
        ResyncAttempt attempt = record.memoryResyncAttempts().get(0);
        assertEquals("a4", attempt.assistantId());
        assertEquals("conflict", attempt.status());
        assertEquals(1, attempt.version());
        assertTrue(record.assistantReflectionScripts().contains("a4: conflict"));
        assertEquals(reported, storedBeliefs(zone, "a4"), "the concurrent report was overwritten");
        given().when().get("/system/daemon/zones/" + zone).then()
                .body("replica_states.find { it.assistant_id == 'a4' }.version", org.hamcrest.Matchers.equalTo(2));

        // retried next cycle, against the report
        RecoveryRecord next = cycle().zones().get(zone).record();
        ResyncAttempt retried = next.memoryResyncAttempts().stream().filter(a -> a.assistantId().equals("a4"))
                .findFirst().orElseThrow();
        assertEquals("applied", retried.status());
        assertEquals(2, retried.version());
    }

    @Test
    void aSecondRecoveryThatCannotGetTheZoneWithinTheLockTimeoutIsA503() {
        String zone = Reports.divergedZone();
        AtomicReference<Throwable> second = new AtomicReference<>();
        AtomicBoolean nested = new AtomicBoolean();
        recovery.afterRead(zones -> zones.contains(zone) && nested.compareAndSet(false, true)
                // while the first holds the zone's lock, a second recovery runs on another connection
                ? recovery.recoverZone(zone, null).onItemOrFailure().invoke((body, failure) -> second.set(
                        failure != null ? failure : new AssertionError("second recovery ran: " + body)))
                        .onFailure().recoverWithNull().replaceWithVoid()
                : Uni.createFrom().voidItem());

        RecoveryService.ZoneResult first = cycle().zones().get(zone);

        assertNotNull(first.record());
        // The nested second recovery waits for a lock its own caller holds: it gives up after the timeout.
        assertTrue(second.get() instanceof ProblemException p && p.status() == 503, String.valueOf(second.get()));
        given().when().get("/system/daemon/zones/" + zone + "/events").then()
                .body("total", org.hamcrest.Matchers.equalTo(1));
    }

    @TestHTTPResource("/system/daemon/zones/")
    URI zonesUri;

    @Test
    void theRecoverRouteWaitsForARecoveryInProgressThenRecovers() throws Exception {
        String zone = Reports.divergedZone();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> answer = new java.util.concurrent.CompletableFuture<>();
        AtomicBoolean nested = new AtomicBoolean();
        HttpClient http = HttpClient.newHttpClient();
        // While the cycle holds the zone, a client asks for its recovery; the cycle then takes its time.
        recovery.afterRead(zones -> {
            if (zones.contains(zone) && nested.compareAndSet(false, true)) {
                http.sendAsync(HttpRequest.newBuilder(zonesUri.resolve(zone + "/recover"))
                                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                        .whenComplete((r, f) -> {
                            if (f != null) {
                                answer.completeExceptionally(f);
                            } else {
                                answer.complete(r);
                            }
                        });
                return Uni.createFrom().voidItem().onItem().delayIt().by(java.time.Duration.ofMillis(300));
            }
            return Uni.createFrom().voidItem();
        });

        assertNotNull(cycle().zones().get(zone).record());

        HttpResponse<String> waited = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, waited.statusCode(), waited.body());
        io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject(waited.body());
        assertEquals(zone, body.getString("network_zone"));
        given().when().get("/system/daemon/zones/" + zone + "/events").then()
                .body("total", org.hamcrest.Matchers.equalTo(2));
    }

    @Test
    void theRecoverRouteAnswers503ProblemWhenTheZoneStaysHeldPastTheTimeout() {
        String zone = Reports.divergedZone();
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        AtomicBoolean nested = new AtomicBoolean();
        HttpClient http = HttpClient.newHttpClient();
        recovery.afterRead(zones -> zones.contains(zone) && nested.compareAndSet(false, true)
                ? Uni.createFrom().completionStage(() -> http.sendAsync(
                        HttpRequest.newBuilder(zonesUri.resolve(zone + "/recover"))
                                .POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString())).invoke(answer::set).replaceWithVoid()
                : Uni.createFrom().voidItem());

        assertNotNull(cycle().zones().get(zone).record());

        HttpResponse<String> busy = answer.get();
        assertEquals(503, busy.statusCode());
        assertEquals("application/problem+json", busy.headers().firstValue("Content-Type").orElse(""));
        assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
        io.vertx.core.json.JsonObject problem = new io.vertx.core.json.JsonObject(busy.body());
        assertEquals(503, problem.getInteger("status"));
        assertTrue(problem.getString("detail").contains("another daemon instance"), problem.encode());
    }

    @Test
    void concurrentRecoveriesNeverApplyTwoResyncsToOneReplicaVersion() {
        String zone = Reports.divergedZone();
        Reports.report(zone, "a5", Map.of("x", 0.0));
        List<Uni<String>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(recovery.recoverZone(zone, null).onFailure(ProblemException.class).recoverWithItem("busy"));
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
        String key = "k-" + java.util.UUID.randomUUID();
        List<Uni<String>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(recovery.recoverZone(zone, key));
        }
        List<String> answers = Uni.join().all(calls).andFailFast().await().atMost(WAIT);
        Set<String> ids = new HashSet<>();
        answers.forEach(a -> ids.add(new io.vertx.core.json.JsonObject(a).getString("id")));
        assertEquals(1, ids.size(), answers.toString());
        given().when().get("/system/daemon/zones/" + zone + "/events").then()
                .body("total", org.hamcrest.Matchers.equalTo(1));
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
        RecoveryService.ZoneResult after = cycle().zones().get(zone);
        assertEquals(ZoneStatus.DIVERGED, after.status()); // 0.4 halved to 0.2
        assertEquals(0.4, after.record().detectedFailure().zoneDivergence(), 1e-9);
        assertEquals(0.2, after.divergence(), 1e-9);
    }
}
