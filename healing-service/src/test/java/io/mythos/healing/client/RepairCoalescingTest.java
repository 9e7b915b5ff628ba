package io.mythos.healing.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.healing.support.Fixtures;
import io.mythos.healing.support.PeerProfile;
import io.mythos.platform.testing.PeerStub;
import io.mythos.platform.testing.PeerStubResource.InjectPeerStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Coalesced repair kicks (issue 12): one request of 200 signals for 200 nodes of one assistant opens
 * 200 events, each asking for a rebalance of the same group and a recovery of the same zone. Those
 * actions share their calls: the peers see a handful of calls, not 200 each, and every action records
 * the shared outcome.
 */
@QuarkusTest
@TestProfile(PeerProfile.class)
class RepairCoalescingTest {

    private static final int NODES = 200;

    @InjectPeerStub
    PeerStub peers;
    @Inject
    Pool pool;

    @Test
    void eventsAskingForTheSameRepairShareOneCall() {
        String a = assistant();
        String group = "g-" + a;
        String zone = "z-" + a;
        peers.server().stubFor(post(urlEqualTo("/system/load/rebalance")).withRequestBody(matchingJsonPath("$.group", equalTo(group)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(PeerBehaviourTest.plan(0.3))));
        peers.server().stubFor(post(urlEqualTo("/system/daemon/zones/" + zone + "/recover"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(PeerBehaviourTest.record(zone, 0.5))));
        String prefix = unique("node");
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < NODES; i++) {
            body.append(i == 0 ? "" : ",").append(signal(prefix + "-" + i, a, "symbolic_error", null, null));
        }
        Fixtures.post(body.append(']').toString()).statusCode(202);

        Fixtures.await("every event to be resolved", Duration.ofSeconds(120), () -> Fixtures.count(pool,
                "SELECT count(*) FROM healing.healing_event WHERE assistant_id = $1 AND status = 'resolved'", a) == NODES);

        int rebalances = peers.server().findAll(postRequestedFor(urlEqualTo("/system/load/rebalance"))
                .withRequestBody(matchingJsonPath("$.group", equalTo(group)))).size();
        int recoveries = peers.server().findAll(postRequestedFor(urlEqualTo("/system/daemon/zones/" + zone + "/recover"))).size();
        assertTrue(rebalances >= 1 && rebalances <= 5, rebalances + " rebalances for " + NODES + " events of one group");
        assertTrue(recoveries >= 1 && recoveries <= 5, recoveries + " recoveries for " + NODES + " events of one zone");
        assertEquals(2L * NODES, Fixtures.count(pool, """
                SELECT count(*) FROM healing.repair_action x JOIN healing.healing_event e ON e.id = x.event_id
                WHERE e.assistant_id = $1 AND x.status = 'succeeded' AND x.attempts = 1""", a));
    }
}
