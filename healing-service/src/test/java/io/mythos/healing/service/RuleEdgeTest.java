package io.mythos.healing.service;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.post;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The default rules at their edges. Time is controlled through observed_at (the rules' clock), so
 * nothing here sleeps: ritual_failure fires at 3 signals of a node within 60 s (both ends included),
 * entropy_spike at a value of 0.8 or more, and the 30 s cooldown counts on the ended event.
 */
@QuarkusTest
class RuleEdgeTest {

    /** A day ago: inside the 30 days a client's timestamp may lie in the past (DESIGN.md "Limits and isolation"). */
    private static final OffsetDateTime T0 = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @Inject
    Pool pool;

    private static String at(double secondsAfterT0) {
        return T0.plusNanos((long) (secondsAfterT0 * 1_000_000_000L)).toString();
    }

    private static String ritual(String node, String a, double t) {
        return signal(node, a, "ritual_failure", null, at(t));
    }

    @Test
    void threeRitualFailuresWithinTheWindowFireAndTwoDoNot() {
        String a = assistant();
        String node = unique("node");
        post(ritual(node, a, 0)).statusCode(202).body("fired", hasSize(0));
        post(ritual(node, a, 20)).statusCode(202).body("fired", hasSize(0));
        post(ritual(node, a, 40)).statusCode(202).body("fired", hasSize(1)).body("fired[0].new", equalTo(true));
    }

    @Test
    void theWindowIncludesBothEndsExactly() {
        String a = assistant();
        String node = unique("node");
        post(ritual(node, a, 0)).statusCode(202).body("fired", hasSize(0));
        post(ritual(node, a, 30)).statusCode(202).body("fired", hasSize(0));
        post(ritual(node, a, 60)).statusCode(202).body("fired", hasSize(1)); // 0 and 60 are exactly 60 s apart
    }

    @Test
    void aSignalJustPastTheWindowDoesNotCount() {
        String a = assistant();
        String node = unique("node");
        post(ritual(node, a, 0)).statusCode(202);
        post(ritual(node, a, 30)).statusCode(202);
        post(ritual(node, a, 60.001)).statusCode(202).body("fired", hasSize(0));
        post(ritual(node, a, 61)).statusCode(202).body("fired", hasSize(1)); // 30, 60.001, 61
    }

    @Test
    void threeSpreadOverTwoMinutesDoNotFire() {
        String a = assistant();
        String node = unique("node");
        post("[" + ritual(node, a, 0) + "," + ritual(node, a, 60.5) + "," + ritual(node, a, 120) + "]")
                .statusCode(202).body("accepted", equalTo(3)).body("fired", hasSize(0));
    }

    @Test
    void otherNodesAndKindsDoNotCount() {
        String a = assistant();
        String node = unique("node");
        post(ritual(node, a, 0)).statusCode(202);
        post(ritual(node + "-other", a, 1)).statusCode(202);
        post(signal(node, a, "codex_conflict", null, at(2))).statusCode(202);
        post(ritual(node, a, 3)).statusCode(202).body("fired", hasSize(0));
    }

    @Test
    void entropyThresholdIsInclusive() {
        String a = assistant();
        post(signal(unique("node"), a, "entropy_spike", 0.8, null)).statusCode(202).body("fired", hasSize(1));
        post(signal(unique("node"), a, "entropy_spike", 0.7999, null)).statusCode(202).body("fired", hasSize(0));
        post(signal(unique("node"), a, "entropy_spike", 1.0, null)).statusCode(202).body("fired", hasSize(1));
    }

    @Test
    void cooldownCountsOnTheResolvedEventUntilItExpires() {
        String a = assistant();
        String node = unique("node");
        String first = post(signal(node, a, "codex_conflict", null, at(0))).statusCode(202)
                .extract().path("fired[0].event_id");
        resolve(first, T0.plusSeconds(10));

        // resolved at t=10; cooldown 30 s: up to and including t=40 the signal counts on that event
        post(signal(node, a, "codex_conflict", null, at(40))).statusCode(202)
                .body("fired[0].event_id", equalTo(first))
                .body("fired[0].new", equalTo(false));
        given().get("/system/health/recovery/" + first).then()
                .body("occurrences", equalTo(2)).body("status", equalTo("resolved"));

        String next = post(signal(node, a, "codex_conflict", null, at(40.5))).statusCode(202)
                .body("fired[0].new", equalTo(true))
                .body("fired[0].event_id", not(equalTo(first)))
                .extract().path("fired[0].event_id");
        given().get("/system/health/recovery/" + next).then().body("status", equalTo("active"))
                .body("occurrences", equalTo(1));
    }

    @Test
    void cooldownAlsoFollowsAFailedEvent() {
        String a = assistant();
        String node = unique("node");
        String first = post(signal(node, a, "symbolic_error", null, at(0))).statusCode(202)
                .extract().path("fired[0].event_id");
        pool.preparedQuery("UPDATE healing.healing_event SET status = 'failed', resolved_at = $2 WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(first), T0.plusSeconds(1))).await().atMost(Duration.ofSeconds(10));
        post(signal(node, a, "symbolic_error", null, at(5))).statusCode(202)
                .body("fired[0].event_id", equalTo(first)).body("fired[0].new", equalTo(false));
    }

    private void resolve(String eventId, OffsetDateTime at) {
        pool.preparedQuery("UPDATE healing.healing_event SET status = 'resolved', resolved_at = $2 WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(eventId), at)).await().atMost(Duration.ofSeconds(10));
    }
}
