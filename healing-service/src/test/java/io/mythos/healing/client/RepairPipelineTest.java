package io.mythos.healing.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.healing.support.Fixtures;
import io.mythos.healing.support.PeerProfile;
import io.mythos.platform.testing.PeerStub;
import io.mythos.platform.testing.PeerStubResource.InjectPeerStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Repairs run as a pipeline (issue 10): an event whose peer call is slow does not hold back events that
 * fire after it. Before, a run waited for its slowest call, and a kick during it only asked for one more
 * run after it. The retrier is slowed to an hour here so that only kicks start repairs.
 */
@QuarkusTest
@TestProfile(RepairPipelineTest.SlowRetrier.class)
class RepairPipelineTest {

    private static final int SLOW_MS = 4000;

    @InjectPeerStub
    PeerStub peers;
    @Inject
    Pool pool;

    @Test
    void aSlowCallDoesNotHoldBackLaterEvents() {
        String slow = assistant();
        String fast = assistant();
        stub("g-" + slow, "z-" + slow, SLOW_MS);
        stub("g-" + fast, "z-" + fast, 0);

        Fixtures.post(signal(unique("node"), slow, "symbolic_error", null, null)).statusCode(202);
        Fixtures.await("the slow event's calls to be under way", Duration.ofSeconds(30), () -> Fixtures.count(pool, """
                SELECT count(*) FROM healing.repair_action x JOIN healing.healing_event e ON e.id = x.event_id
                WHERE e.assistant_id = $1 AND x.claimed_until IS NOT NULL""", slow) > 0);
        Fixtures.post(signal(unique("node"), fast, "symbolic_error", null, null)).statusCode(202);

        Fixtures.await("the later event to be resolved", Duration.ofSeconds(30), () -> Fixtures.count(pool,
                "SELECT count(*) FROM healing.healing_event WHERE assistant_id = $1 AND status = 'resolved'", fast) == 1);
        assertEquals(1L, Fixtures.count(pool,
                "SELECT count(*) FROM healing.healing_event WHERE assistant_id = $1 AND status = 'active'", slow),
                "the later event was repaired while the slow call was still under way");
        Fixtures.await("the slow event to be resolved too", Duration.ofSeconds(30), () -> Fixtures.count(pool,
                "SELECT count(*) FROM healing.healing_event WHERE assistant_id = $1 AND status = 'resolved'", slow) == 1);
    }

    private void stub(String group, String zone, int delayMs) {
        peers.server().stubFor(post(urlEqualTo("/system/load/rebalance")).withRequestBody(matchingJsonPath("$.group", equalTo(group)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(delayMs)
                        .withBody(PeerBehaviourTest.plan(0.3))));
        peers.server().stubFor(post(urlEqualTo("/system/daemon/zones/" + zone + "/recover"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(delayMs)
                        .withBody(PeerBehaviourTest.record(zone, 0.5))));
    }

    /** Only kicks start repairs; a peer may take its time. */
    public static class SlowRetrier extends PeerProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of("mythos.healing.repair.retry-interval", "1h", "quarkus.rest-client.read-timeout", "20000");
        }
    }
}
