package io.mythos.healing.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;

import io.mythos.healing.support.Fixtures;
import io.mythos.healing.support.PeerProfile;
import io.mythos.platform.testing.PeerStub;
import io.mythos.platform.testing.PeerStubResource.InjectPeerStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A call that ends claims again only when the last claim left due actions behind (issue 10: a claim after
 * every call was two claim transactions per spike that mostly found nothing). Events the brake held back
 * must still start as soon as a call ends, not at the retrier's next run: the retrier is slowed to an hour
 * here and the brake lets one event run at a time, so the three events resolve only through the claims
 * that ending calls make.
 */
@QuarkusTest
@TestProfile(RepairBacklogTest.OneAtATime.class)
class RepairBacklogTest {

    @InjectPeerStub
    PeerStub peers;
    @Inject
    Pool pool;

    @Test
    void eventsTheBrakeHeldBackStartWhenACallEnds() {
        List<String> assistants = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String a = assistant();
            assistants.add(a);
            stub("g-" + a, "z-" + a);
        }
        // one request: one batch, one kick, one claim that the brake cuts to the first event
        List<String> batch = new ArrayList<>();
        for (String a : assistants) {
            batch.add(signal(unique("node"), a, "symbolic_error", null, null));
        }
        Fixtures.post("[" + String.join(", ", batch) + "]").statusCode(202);

        Fixtures.await("every event resolved without the retrier", Duration.ofSeconds(30), () -> Fixtures.count(pool,
                "SELECT count(*) FROM healing.healing_event WHERE assistant_id IN ($1, $2, $3) AND status = 'resolved'",
                assistants.toArray()) == 3);
    }

    private void stub(String group, String zone) {
        peers.server().stubFor(post(urlEqualTo("/system/load/rebalance")).withRequestBody(matchingJsonPath("$.group", equalTo(group)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(200)
                        .withBody(PeerBehaviourTest.plan(0.3))));
        peers.server().stubFor(post(urlEqualTo("/system/daemon/zones/" + zone + "/recover"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withFixedDelay(200)
                        .withBody(PeerBehaviourTest.record(zone, 0.5))));
    }

    /** Only kicks and ending calls start repairs, one event at a time. */
    public static class OneAtATime extends PeerProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of("mythos.healing.repair.retry-interval", "1h", "mythos.healing.repair.max-concurrent-repairs", "1");
        }
    }
}
