package io.mythos.healing.service;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.common.healing.ActionStatus;
import io.mythos.common.healing.ActionType;
import io.mythos.healing.repository.ActionRepository;
import io.mythos.healing.repository.ActionRepository.Claimed;
import io.mythos.healing.repository.ActionRepository.Outcome;
import io.mythos.healing.support.PeerProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The brake (max_concurrent_repairs) on the real database: the claim admits the actions of at most
 * that many events with calls in flight; the others wait, pending, until one finishes.
 * <p>
 * The brake counts the calls in flight of the whole database, so the claims here must be the only
 * ones: in dry-run mode the service claims nothing by itself (no run after a signal batch, the retrier
 * finds nothing to do), and the only other test of that profile leaves no pending action. Each claim is
 * then asserted whole: it touches this test's actions and nothing else.
 */
@QuarkusTest
@TestProfile(PeerProfile.DryRun.class)
class BrakeTest {

    private static final Duration LEASE = Duration.ofSeconds(60);

    @Inject
    Pool pool;
    @Inject
    ActionRepository actions;

    @Test
    void atMostMaxEventsRunAtOnceAndTheNextStartsWhenOneEnds() {
        String a = assistant();
        List<UUID> events = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                events.add(oldEventWithOneDueAction(a, i));
            }
            assertEquals(Set.of(events.get(0), events.get(1)), eventsOf(claim()), "the two oldest events are admitted");

            assertEquals(Set.of(), eventsOf(claim()), "both slots are busy: the third event waits");

            Claimed done = claimedOf(events.get(0));
            assertEquals(ActionStatus.SUCCEEDED, actions.complete(done, new Outcome(ActionStatus.SUCCEEDED, 0.5, "{}", null),
                    10, Duration.ofSeconds(1)).await().atMost(Duration.ofSeconds(30)));

            assertEquals(Set.of(events.get(2)), eventsOf(claim()), "a slot freed: the third event starts");
            given().get("/system/health/recovery/" + events.get(0)).then().statusCode(200)
                    .body("status", equalTo("resolved"));
        } finally {
            given().delete("/assistants/" + a).then().statusCode(204);
        }
    }

    private UUID oldEventWithOneDueAction(String assistantId, int i) {
        UUID event = UUID.randomUUID();
        pool.withTransaction(c -> c.preparedQuery("""
                        INSERT INTO healing.healing_event (id, node_id, triggered_by, assistant_id, created_at)
                        VALUES ($1, $2, 'codex_conflict', $3, timestamptz '2000-01-01T00:00:00Z' + make_interval(mins => $4))""")
                .execute(Tuple.of(event, unique("node"), assistantId, i))
                .flatMap(x -> c.preparedQuery("""
                                INSERT INTO healing.repair_action (id, event_id, seq, type, target, next_attempt_at)
                                VALUES ($1, $2, 1, 'realign_codex', 'zone', timestamptz '2000-01-01T00:00:00Z')""")
                        .execute(Tuple.of(UUID.randomUUID(), event))))
                .await().atMost(Duration.ofSeconds(10));
        return event;
    }

    private Claimed claimedOf(UUID event) {
        var row = pool.preparedQuery("SELECT id, attempts FROM healing.repair_action WHERE event_id = $1")
                .execute(Tuple.of(event)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        return new Claimed(row.getUUID(0), event, ActionType.REALIGN_CODEX, "zone", row.getInteger(1));
    }

    private List<Claimed> claim() {
        return actions.claimDue(2, 10, LEASE).await().atMost(Duration.ofSeconds(30));
    }

    private static Set<UUID> eventsOf(List<Claimed> claimed) {
        return claimed.stream().map(Claimed::eventId).collect(Collectors.toSet());
    }
}
