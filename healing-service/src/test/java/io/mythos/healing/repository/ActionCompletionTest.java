package io.mythos.healing.repository;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.healing.ActionStatus;
import io.mythos.common.healing.ActionType;
import io.mythos.healing.repository.ActionRepository.Claimed;
import io.mythos.healing.repository.ActionRepository.Done;
import io.mythos.healing.repository.ActionRepository.Outcome;
import io.mythos.healing.support.PeerProfile;
import io.mythos.platform.testing.AtOnce;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Recording the outcomes of an event's actions ({@link ActionRepository#completeEvent}) on the real database: the
 * outcomes of both actions land in one transaction and the event follows (resolved with the mean improvement,
 * failed, or still active with the retry scheduled); and actions of one event recorded apart, at the same moment,
 * never both miss the other's result. Dry-run profile: the service itself claims nothing meanwhile.
 */
@QuarkusTest
@TestProfile(PeerProfile.DryRun.class)
class ActionCompletionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;
    @Inject
    ActionRepository actions;

    @Test
    void bothOutcomesOfAnEventAreRecordedTogetherAndResolveItWithTheirMeanImprovement() {
        String a = assistant();
        try {
            UUID event = eventWithTwoActions(a);
            List<Claimed> claimed = claimedOf(event);
            Map<UUID, ActionStatus> statuses = actions.completeEvent(event, List.of(
                    done(claimed.get(0), new Outcome(ActionStatus.SUCCEEDED, 0.4, "{\"a\":1}", null)),
                    done(claimed.get(1), new Outcome(ActionStatus.SUCCEEDED, 0.6, "{\"b\":2}", null))), 3).await().atMost(WAIT);

            assertEquals(Map.of(claimed.get(0).id(), ActionStatus.SUCCEEDED, claimed.get(1).id(), ActionStatus.SUCCEEDED), statuses);
            Row e = event(event);
            assertEquals("resolved", e.getString("status"));
            assertEquals(0.5, e.getDouble("symbolic_health_delta"), 1e-9);
            Row first = action(claimed.get(0).id());
            assertEquals(1, first.getInteger("attempts"));
            assertNull(first.getValue("claimed_until"), "the claim ends with the outcome");
            assertEquals("{\"a\": 1}", first.getString("result"));
        } finally {
            given().delete("/assistants/" + a).then().statusCode(204);
        }
    }

    @Test
    void aRetryableOutcomeSchedulesTheNextAttemptOrFailsTheActionAtTheLastAttempt() {
        String a = assistant();
        try {
            UUID event = eventWithTwoActions(a);
            List<Claimed> claimed = claimedOf(event);
            // the first is to be retried (attempts left), the second succeeded
            Map<UUID, ActionStatus> statuses = actions.completeEvent(event, List.of(
                    done(claimed.get(0), new Outcome(ActionStatus.PENDING, null, null, "peer answered 503")),
                    new Done(claimed.get(1), new Outcome(ActionStatus.SUCCEEDED, 0.2, "{}", null), Duration.ofSeconds(5))), 3)
                    .await().atMost(WAIT);
            assertEquals(ActionStatus.PENDING, statuses.get(claimed.get(0).id()));
            Row retried = action(claimed.get(0).id());
            assertEquals(1, retried.getInteger("attempts"));
            assertEquals("peer answered 503", retried.getString("last_error"));
            assertTrue(pool.preparedQuery("SELECT next_attempt_at > now() + interval '50 minutes' FROM healing.repair_action WHERE id = $1")
                    .execute(Tuple.of(claimed.get(0).id())).await().atMost(WAIT).iterator().next().getBoolean(0),
                    "the retry is scheduled after its own retryIn (1 h)");
            assertEquals("active", event(event).getString("status"), "an action still pending keeps the event active");

            // the last attempt fails the same way: the action fails and so does the event
            Claimed again = new Claimed(claimed.get(0).id(), event, claimed.get(0).type(), claimed.get(0).target(), 1);
            assertEquals(ActionStatus.FAILED, actions.complete(again, new Outcome(ActionStatus.PENDING, null, null, "peer answered 503"),
                    2, Duration.ofSeconds(1)).await().atMost(WAIT));
            assertEquals("gave up after 2 attempts: peer answered 503", action(claimed.get(0).id()).getString("last_error"));
            assertEquals("failed", event(event).getString("status"));
        } finally {
            given().delete("/assistants/" + a).then().statusCode(204);
        }
    }

    @Test
    void actionsOfOneEventRecordedApartAtTheSameMomentNeverMissEachOther() throws Exception {
        String a = assistant();
        try {
            for (int round = 0; round < 10; round++) {
                UUID event = eventWithTwoActions(a);
                List<Claimed> claimed = claimedOf(event);
                AtOnce.run(2, i -> () -> actions.completeEvent(event,
                        List.of(done(claimed.get(i), new Outcome(ActionStatus.SUCCEEDED, 0.5, "{}", null))), 3).await().atMost(WAIT));
                assertEquals("resolved", event(event).getString("status"), "round " + round);
            }
        } finally {
            given().delete("/assistants/" + a).then().statusCode(204);
        }
    }

    private static Done done(Claimed action, Outcome outcome) {
        return new Done(action, outcome, Duration.ofHours(1));
    }

    private UUID eventWithTwoActions(String assistantId) {
        UUID event = UUID.randomUUID();
        pool.withTransaction(c -> c.preparedQuery("""
                        INSERT INTO healing.healing_event (id, node_id, triggered_by, assistant_id)
                        VALUES ($1, $2, 'entropy_spike', $3)""")
                .execute(Tuple.of(event, unique("node"), assistantId))
                .flatMap(x -> c.preparedQuery("""
                                INSERT INTO healing.repair_action (id, event_id, seq, type, target, next_attempt_at, claimed_until)
                                VALUES ($1, $3, 1, 'rebalance_load', 'g', now() + interval '1 hour', now() + interval '1 minute'),
                                       ($2, $3, 2, 'resync_memory', 'z', now() + interval '1 hour', now() + interval '1 minute')""")
                        .execute(Tuple.of(UUID.randomUUID(), UUID.randomUUID(), event))))
                .await().atMost(WAIT);
        return event;
    }

    private List<Claimed> claimedOf(UUID event) {
        return pool.preparedQuery("SELECT id, type, target, attempts FROM healing.repair_action WHERE event_id = $1 ORDER BY seq")
                .execute(Tuple.of(event)).await().atMost(WAIT).stream()
                .map(r -> new Claimed(r.getUUID(0), event, ActionType.valueOf(r.getString(1).toUpperCase()), r.getString(2),
                        r.getInteger(3)))
                .toList();
    }

    private Row event(UUID id) {
        return pool.preparedQuery("SELECT status, symbolic_health_delta FROM healing.healing_event WHERE id = $1")
                .execute(Tuple.of(id)).await().atMost(WAIT).iterator().next();
    }

    private Row action(UUID id) {
        return pool.preparedQuery("SELECT attempts, claimed_until, result::text AS result, last_error FROM healing.repair_action WHERE id = $1")
                .execute(Tuple.of(id)).await().atMost(WAIT).iterator().next();
    }
}
