package io.mythos.healing.service;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.healing.support.Fixtures;
import io.mythos.healing.support.PeerProfile;
import io.mythos.platform.testing.PeerStub;
import io.mythos.platform.testing.PeerStubResource.InjectPeerStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mythos.healing.repair.dry-run=true: events are logged with their planned actions, and no peer is called. */
@QuarkusTest
@TestProfile(PeerProfile.DryRun.class)
class DryRunTest {

    @InjectPeerStub
    PeerStub peers;

    @Inject
    RepairService repairs;

    @Test
    void eventsAreLoggedWithDryRunActionsAndNoPeerIsCalled() {
        String a = assistant();
        String id = Fixtures.post(signal(unique("node"), a, "entropy_spike", 0.95, null)).statusCode(202)
                .body("fired[0].new", equalTo(true))
                .extract().path("fired[0].event_id");
        given().get("/system/health/recovery/" + id).then().statusCode(200)
                .body("status", equalTo("resolved"))
                .body("resolved_at", notNullValue())
                .body("symbolic_health_delta", nullValue())
                .body("repair_actions.type", equalTo(List.of("rebalance_load", "resync_memory")))
                .body("repair_actions.status", equalTo(List.of("dry_run", "dry_run")))
                .body("repair_actions.attempts", equalTo(List.of(0, 0)));

        // a run of the retrier, awaited here, calls nobody either
        assertEquals(0, repairs.runDue().await().atMost(Duration.ofSeconds(30)));
        assertEquals(0, peers.server().findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void rulesComeFromTheConfigurationAtStartUp() {
        given().get("/system/health/rules").then().statusCode(200)
                .body("rules.find { it.kind == 'symbolic_error' }.cooldown_seconds", equalTo(45))
                .body("rules.find { it.kind == 'symbolic_error' }.source", equalTo("config"));
    }
}
