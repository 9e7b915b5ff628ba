package io.mythos.healing.service;

import static io.mythos.healing.support.Fixtures.count;
import static io.mythos.healing.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.common.healing.SignalKind;
import io.mythos.common.healing.SignalRequest;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.repository.EventRepository;
import io.mythos.healing.repository.RuleRepository;
import io.mythos.healing.repository.SafetyRepository;
import io.mythos.healing.repository.SignalRepository;
import io.mythos.healing.repository.StormRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storm guard's invariants with two instances of the service on one database: here a second writer and
 * a second release on their own connection pool play the second instance. One storm decision per group
 * (the group's advisory lock serializes the decisions, so the second firing sees the first), and no held
 * action released twice (each release changes only actions still held).
 */
@QuarkusTest
class StormGuardConcurrencyTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    SignalWriter writer;
    @Inject
    SignalRepository signals;
    @Inject
    RuleRepository rules;
    @Inject
    EventRepository events;
    @Inject
    RuleService ruleService;
    @Inject
    HealingConfig config;
    @Inject
    StormRepository storms;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    private PgPool otherPool;

    @BeforeEach
    void secondInstance() {
        otherPool = PgPool.pool(vertx, PgConnectOptions.fromUri(url).setUser("postgres"), new PoolOptions().setMaxSize(10));
    }

    @AfterEach
    void closeSecondInstance() {
        otherPool.closeAndAwait();
    }

    private static List<String> group(String group, int size) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = unique("a");
            given().contentType(ContentType.JSON).body("{\"name\": \"n\", \"group\": \"" + group + "\", \"zone\": \"z-" + id + "\"}")
                    .put("/assistants/" + id).then().statusCode(201);
            members.add(id);
        }
        return members;
    }

    private static List<List<SignalRequest>> spike(String assistant) {
        return List.of(List.of(new SignalRequest(unique("node"), assistant, SignalKind.ENTROPY_SPIKE, 0.95, OffsetDateTime.now(), null)));
    }

    @Test
    void concurrentFiringsOnTwoInstancesMakeOneStormDecisionPerGroup() {
        SignalWriter other = new SignalWriter(otherPool, signals, rules, events, ruleService, config);
        for (int trial = 0; trial < 10; trial++) {
            String group = unique("g");
            List<String> members = group(group, 4);
            // three members of four fire at once, from two instances: the first alone is no storm (1/4); whichever
            // comes second starts it (2/4), and the third is held in it
            List<Uni<SignalWriter.Written>> writes = List.of(writer.write(spike(members.get(0))),
                    other.write(spike(members.get(1))), (trial % 2 == 0 ? writer : other).write(spike(members.get(2))));
            Uni.join().all(writes).andFailFast().await().atMost(WAIT);

            assertEquals(1, count(pool, "SELECT count(*) FROM healing.storm WHERE assistant_group = $1", group), "trial " + trial);
            assertEquals(3, count(pool, """
                    SELECT count(*) FROM healing.healing_event e JOIN healing.assistant a ON a.assistant_id = e.assistant_id
                    WHERE a.assistant_group = $1 AND e.status = 'active'""", group));
            assertEquals(2, count(pool, """
                    SELECT count(DISTINCT a.event_id) FROM healing.repair_action a WHERE a.held_group = $1 AND a.status = 'held'""", group),
                    "trial " + trial + ": exactly the two events after the first are held");
            assertEquals(2, count(pool, """
                    SELECT count(*) FROM healing.repair_action r JOIN healing.healing_event e ON e.id = r.event_id
                    JOIN healing.assistant a ON a.assistant_id = e.assistant_id
                    WHERE a.assistant_group = $1 AND r.status = 'pending'""", group), "the first event's two actions run");
        }
    }

    @Test
    void twoInstancesReleasingTogetherReleaseEveryHeldActionExactlyOnce() {
        StormRepository otherStorms = new StormRepository(otherPool, new SafetyRepository());
        for (int trial = 0; trial < 5; trial++) {
            String group = unique("g");
            List<String> members = group(group, 12);
            List<List<SignalRequest>> batch = new ArrayList<>();
            for (String m : members.subList(0, 10)) {
                batch.add(spike(m).get(0));
            }
            writer.write(batch).await().atMost(WAIT);
            long held = count(pool, "SELECT count(*) FROM healing.repair_action WHERE held_group = $1 AND status = 'held'", group);
            assertEquals(20, held, "ten events of one batch, in a storm from the start: all their actions held");

            List<Uni<StormRepository.Released>> releases = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                releases.add(i % 2 == 0 ? storms.releaseByOperator(group, "one") : otherStorms.releaseByOperator(group, "other"));
                releases.add(i % 2 == 0 ? otherStorms.releaseIfCalm(group, 0.99, 1, Duration.ofMinutes(1))
                        : storms.releaseIfCalm(group, 0.99, 1, Duration.ofMinutes(1)));
            }
            List<StormRepository.Released> results = Uni.join().all(releases).andFailFast().await().atMost(WAIT);
            int released = 0;
            int endedStorm = 0;
            for (StormRepository.Released r : results) {
                if (r != null) {
                    released += r.released();
                    endedStorm += r.wasInStorm() ? 1 : 0;
                }
            }
            assertEquals(held, released, "trial " + trial + ": the releases together released each held action once");
            assertEquals(1, endedStorm, "one release ended the storm");
            assertEquals(0, count(pool, "SELECT count(*) FROM healing.repair_action WHERE held_group = $1 AND status = 'held'", group));
            assertEquals(held, count(pool, """
                    SELECT count(*) FROM healing.repair_action WHERE held_group = $1 AND status = 'pending' AND released_at IS NOT NULL""",
                    group));
            assertEquals(0, count(pool, "SELECT count(*) FROM healing.storm WHERE assistant_group = $1", group));
        }
    }
}
