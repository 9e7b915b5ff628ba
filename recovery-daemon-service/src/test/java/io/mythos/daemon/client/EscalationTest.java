package io.mythos.daemon.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.mythos.common.daemon.ZoneStatus;
import io.mythos.daemon.rest.Reports;
import io.mythos.daemon.service.EscalationService;
import io.mythos.daemon.service.ZoneRecoveryService;
import io.mythos.platform.testing.PeerStub;
import io.mythos.platform.testing.PeerStubResource;
import io.mythos.platform.testing.PeerStubResource.InjectPeerStub;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stalled zones reported to a stubbed healing service: once per stall, kept while it is down, 422 not retried. */
@QuarkusTest
@WithTestResource(value = PeerStubResource.class, initArgs = {
        @ResourceArg(name = "clients", value = "healing"),
        // short enough that the "down" and "failing" cases stay quick
        @ResourceArg(name = "io.mythos.daemon.client.HealingClient/signal/Retry/delay", value = "50")})
class EscalationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SIGNALS = "/system/health/signals";

    @Inject
    ZoneRecoveryService recovery;

    @Inject
    EscalationService escalations;

    @Inject
    Pool pool;

    @InjectPeerStub
    PeerStub healing;

    /** The healing service's stand-in, as it is now (a restart gives a new server). */
    private WireMockServer stub() {
        return healing.server();
    }

    private void accepting() {
        if (!stub().isRunning()) {
            healing.up();
        }
        stub().resetAll();
        stub().stubFor(post(urlEqualTo(SIGNALS)).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json").withBody("{\"accepted\":1,\"fired\":[]}")));
    }

    /**
     * The stub accepts everything, and the escalations other test classes left behind in the shared
     * database are sent first, so that each test sees only its own.
     */
    @BeforeEach
    void setUp() {
        accepting();
        for (int i = 0; i < 100 && dispatch().sent() > 0; i++) {
            // the stub accepts everything; stop as soon as a dispatch finds nothing left
        }
    }

    @AfterEach
    void up() {
        if (!stub().isRunning()) {
            healing.up();
        }
    }

    /** An assistant that keeps reporting its outlier value: the divergence stops falling and the zone stalls. */
    private String stalledZone() {
        String zone = Reports.newZone();
        Reports.report(zone, "a1", Map.of("x", 0.5));
        Reports.report(zone, "a2", Map.of("x", 0.5));
        Reports.report(zone, "a3", Map.of("x", 0.5));
        for (int cycle = 1; cycle <= 6; cycle++) {
            insist(zone);
            ZoneStatus status = cycle().zones().get(zone).status();
            // the first cycle sets the path's first point; 5 more without a fall make it stalled
            assertEquals(cycle == 6 ? ZoneStatus.STALLED : ZoneStatus.DIVERGED, status, "cycle " + cycle);
        }
        return zone;
    }

    private static void insist(String zone) {
        Reports.report(zone, "a4", Map.of("x", 0.9));
    }

    private ZoneRecoveryService.CycleResult cycle() {
        return recovery.runCycle().await().atMost(WAIT);
    }

    private EscalationService.Dispatch dispatch() {
        return escalations.dispatchPending().await().atMost(WAIT);
    }

    /** The statuses of the zone's escalations in the outbox, oldest first. */
    private List<String> statuses(String zone) {
        List<String> statuses = new ArrayList<>();
        pool.preparedQuery("SELECT status FROM recovery.escalation WHERE zone = $1 ORDER BY id")
                .execute(Tuple.of(zone)).await().atMost(WAIT).forEach(row -> statuses.add(row.getString("status")));
        return statuses;
    }

    private static RequestPatternBuilder signalOf(String zone) {
        return postRequestedFor(urlEqualTo(SIGNALS)).withRequestBody(matchingJsonPath("$.node_id", equalTo("zone:" + zone)));
    }

    @Test
    void aStallIsReportedOnceAndSurvivesTheHealingServiceBeingDown() {
        healing.down();
        String zone = stalledZone();
        assertEquals(List.of("pending"), statuses(zone));

        EscalationService.Dispatch down = dispatch();
        assertTrue(down.failed() >= 1, down.toString());
        assertEquals(List.of("pending"), statuses(zone), "an unreachable healing service must not lose the escalation");

        accepting(); // the healing service is back
        dispatch();
        assertEquals(List.of("sent"), statuses(zone));
        stub().verify(1, signalOf(zone)
                .withRequestBody(matchingJsonPath("$.kind", equalTo("symbolic_error")))
                .withRequestBody(matchingJsonPath("$.assistant_id", equalTo("a4"))));
        JsonObject signal = new JsonObject(stub().findAll(signalOf(zone)).get(0).getBodyAsString());
        assertEquals(0.2, signal.getDouble("value"), 1e-9); // the zone's divergence

        // still stalled on the next cycles: no second escalation for the same stall
        for (int i = 0; i < 2; i++) {
            insist(zone);
            assertEquals(ZoneStatus.STALLED, cycle().zones().get(zone).status());
        }
        dispatch();
        assertEquals(List.of("sent"), statuses(zone));
        stub().verify(1, signalOf(zone));
    }

    @Test
    void aNewStallAfterRecoveringIsReportedAgain() {
        String zone = stalledZone();
        dispatch();
        // the assistant stops insisting: the zone falls out of the stall, then insists again and stalls again
        assertEquals(ZoneStatus.RECOVERING, cycle().zones().get(zone).status()); // 0.2 fell to 0.1
        for (int i = 1; i <= 5; i++) {
            insist(zone);
            assertEquals(i == 5 ? ZoneStatus.STALLED : ZoneStatus.DIVERGED, cycle().zones().get(zone).status());
        }
        dispatch();
        assertEquals(List.of("sent", "sent"), statuses(zone));
        stub().verify(2, signalOf(zone));
    }

    @Test
    void aRefusalIsLoggedCountedAndNotRetried() {
        stub().stubFor(post(urlEqualTo(SIGNALS)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.assistant_id", equalTo("a4")))
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\":422,\"title\":\"Unknown Reference\"}")));
        String zone = stalledZone();
        EscalationService.Dispatch d = dispatch();
        assertTrue(d.rejected() >= 1, d.toString());
        assertEquals(List.of("rejected"), statuses(zone));
        dispatch();
        stub().verify(1, signalOf(zone)); // neither retried by the client nor by a later cycle
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("mythos_daemon_escalations_total{outcome=\"rejected\"}"))
                .body(containsString("mythos_daemon_zones{status=\"stalled\"}"));
    }

    /** Issue 11: the escalation carries a service token; a healing service that refuses it (401) is final at once, readably. */
    @Test
    void aRefusedTokenIsFinalWithAReadableErrorAndTheCallCarriesAServiceToken() {
        String zone = stalledZone();
        stub().stubFor(post(urlEqualTo(SIGNALS)).atPriority(1).withRequestBody(matchingJsonPath("$.node_id", equalTo("zone:" + zone)))
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer")
                        .withBody("{\"status\":401,\"detail\":\"db-host-9:5432 internal\"}")));
        EscalationService.Dispatch d = dispatch();
        assertTrue(d.rejected() >= 1, d.toString());
        assertEquals(List.of("rejected"), statuses(zone));
        dispatch();
        stub().verify(1, signalOf(zone)); // not retried
        String header = stub().findAll(signalOf(zone)).get(0).getHeader("Authorization");
        assertTrue(header != null && header.startsWith("Bearer ey"), "a service token: " + header);
        String lastError = pool.preparedQuery("SELECT last_error FROM recovery.escalation WHERE zone = $1").execute(Tuple.of(zone))
                .await().atMost(WAIT).iterator().next().getString("last_error");
        assertTrue(lastError.startsWith("the healing service answered HTTP 401: it refused this service's token"), lastError);
        assertTrue(!lastError.contains("db-host") && !lastError.contains("5432"), lastError);
    }

    @Test
    void aServerErrorIsRetriedThenKeptPending() {
        stub().stubFor(post(urlEqualTo(SIGNALS)).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        String zone = stalledZone();
        dispatch();
        assertEquals(List.of("pending"), statuses(zone));
        stub().verify(3, signalOf(zone)); // 1 call + 2 retries (@Retry)
        accepting();
        dispatch();
        assertEquals(List.of("sent"), statuses(zone));
    }
}
