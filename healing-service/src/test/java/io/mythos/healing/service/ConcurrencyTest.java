package io.mythos.healing.service;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.count;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mythos.common.healing.SignalKind;
import io.mythos.common.healing.SignalRequest;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.repository.EventRepository;
import io.mythos.healing.support.Fixtures;
import io.mythos.healing.repository.RuleRepository;
import io.mythos.healing.repository.SignalRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Deduplication under concurrency, against the real database: one active event, every occurrence counted. */
@QuarkusTest
class ConcurrencyTest {

    private static final int PARALLEL = 200;

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
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @Test
    void twoHundredParallelFiringSignalsGiveOneEventWithTwoHundredOccurrences() throws Exception {
        String a = assistant();
        String node = unique("node");
        String body = signal(node, a, "entropy_spike", 0.95, null);
        ExecutorService clients = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < PARALLEL; i++) {
                answers.add(clients.submit(() -> {
                    start.await();
                    return given().contentType(ContentType.JSON).body(body).post("/system/health/signals");
                }));
            }
            start.countDown();
            Set<String> eventIds = new HashSet<>();
            int fresh = 0;
            for (Future<Response> f : answers) {
                Response r = f.get();
                assertEquals(202, r.statusCode(), r.asString());
                eventIds.add(r.path("fired[0].event_id"));
                if (Boolean.TRUE.equals(r.path("fired[0].new"))) {
                    fresh++;
                }
            }
            assertEquals(1, eventIds.size(), "every signal is counted on the same event");
            assertEquals(1, fresh, "exactly one answer says it opened the event");
        } finally {
            clients.shutdownNow();
        }
        assertEquals(PARALLEL, count(pool, "SELECT count(*) FROM healing.signal WHERE node_id = $1", node));
        assertEquals(1, count(pool, "SELECT count(*) FROM healing.healing_event WHERE node_id = $1", node));
        assertEquals(PARALLEL, count(pool, "SELECT occurrences FROM healing.healing_event WHERE node_id = $1 AND status = 'active'", node));
        assertEquals(2, count(pool, "SELECT count(*) FROM healing.repair_action a JOIN healing.healing_event e ON e.id = a.event_id WHERE e.node_id = $1", node));
    }

    /**
     * A firing signal that arrives while its event is being resolved must count on that event (it is in
     * its cooldown), never open a second one. The resolution is held open on its own connection, as the
     * retrier's transaction would be, while the signal is posted; then it commits.
     */
    @Test
    void aSignalRacingTheResolutionOfItsEventCountsOnItInsteadOfOpeningAnother() throws Exception {
        String a = assistant();
        String node = unique("node");
        String body = signal(node, a, "codex_conflict", null, null);
        String first = Fixtures.post(body).statusCode(202).extract().path("fired[0].event_id");

        io.vertx.mutiny.sqlclient.SqlConnection resolver = pool.getConnection().await().atMost(Duration.ofSeconds(30));
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            resolver.query("BEGIN").execute().await().atMost(Duration.ofSeconds(30));
            resolver.preparedQuery("SELECT pg_advisory_xact_lock(" + EventRepository.EVENT_LOCK_KEY
                    + ") FROM healing.healing_event WHERE id = $1").execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(first)))
                    .await().atMost(Duration.ofSeconds(30));
            resolver.preparedQuery("UPDATE healing.healing_event SET status = 'resolved', resolved_at = now() WHERE id = $1")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(UUID.fromString(first))).await().atMost(Duration.ofSeconds(30));

            int resolverPid = resolver.query("SELECT pg_backend_pid()").execute().await().atMost(Duration.ofSeconds(30))
                    .iterator().next().getInteger(0);
            Future<Response> racing = client.submit(() -> given().contentType(ContentType.JSON).body(body)
                    .post("/system/health/signals"));
            // The signal's transaction waits for the lock the resolution holds (it cannot finish meanwhile)...
            Fixtures.await("the firing signal to wait for the event's lock", Duration.ofSeconds(30),
                    () -> signalWritesWaitingOnLocksOf(resolverPid) == 1);
            assertFalse(racing.isDone(), "the firing signal is answered only after the event's resolution");
            resolver.query("COMMIT").execute().await().atMost(Duration.ofSeconds(30));

            // ...then finds the event resolved, within its cooldown, and counts on it.
            Response answer = racing.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(202, answer.statusCode());
            assertEquals(first, answer.path("fired[0].event_id"));
            assertFalse(answer.<Boolean>path("fired[0].new"));
            assertEquals(1, count(pool, "SELECT count(*) FROM healing.healing_event WHERE node_id = $1", node));
            assertEquals(2, count(pool, "SELECT occurrences FROM healing.healing_event WHERE node_id = $1", node));
        } finally {
            client.shutdownNow();
            // close() hands the connection back to the application's pool: never with this transaction still
            // open (a failed assertion above), or the next requests would write into it unseen by anyone else
            resolver.query("ROLLBACK").execute().await().atMost(Duration.ofSeconds(30));
            resolver.close().await().atMost(Duration.ofSeconds(30));
        }
    }

    /**
     * Signal writes (the statement that locks the events of a batch: {@code unnest} of node ids and triggers)
     * waiting for an advisory lock that the session {@code pid} holds. Only those: the first event's repair
     * may be recording an outcome under the same lock at that moment, and it would make a plain count 2.
     */
    private long signalWritesWaitingOnLocksOf(int pid) {
        return count(pool, """
                SELECT count(*) FROM pg_locks w JOIN pg_locks h
                  ON h.locktype = 'advisory' AND h.granted AND h.pid = $1
                 AND h.classid = w.classid AND h.objid = w.objid AND h.objsubid = w.objsubid
                JOIN pg_stat_activity a ON a.pid = w.pid
                WHERE w.locktype = 'advisory' AND NOT w.granted AND a.query LIKE '%unnest(%'""", pid);
    }

    /**
     * Two instances of the service share only the database: here a second writer on its own
     * connection pool plays the second instance, and both write the same firing signal at once.
     */
    @Test
    void twoInstancesOnOneDatabaseStillOpenOneEvent() {
        PgPool otherPool = PgPool.pool(vertx, PgConnectOptions.fromUri(url).setUser("postgres"), new PoolOptions().setMaxSize(10));
        try {
            SignalWriter other = new SignalWriter(otherPool, signals, rules, events, ruleService, config);
            String a = assistant();
            String node = unique("node");
            SignalRequest s = new SignalRequest(node, a, SignalKind.SYMBOLIC_ERROR, null, OffsetDateTime.now(), null);
            List<Uni<SignalWriter.Written>> writes = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                writes.add((i % 2 == 0 ? writer : other).write(List.of(List.of(s))));
            }
            List<SignalWriter.Written> results = Uni.join().all(writes).andFailFast().await()
                    .atMost(Duration.ofSeconds(120));
            Set<UUID> eventIds = new HashSet<>();
            for (SignalWriter.Written batch : results) {
                eventIds.add(batch.outcomes().get(0).response().fired().get(0).eventId());
            }
            assertEquals(1, eventIds.size());
            assertEquals(PARALLEL, count(pool, "SELECT occurrences FROM healing.healing_event WHERE node_id = $1 AND status = 'active'", node));
            assertEquals(1, count(pool, "SELECT count(*) FROM healing.healing_event WHERE node_id = $1", node));
        } finally {
            otherPool.closeAndAwait();
        }
    }

    /** The rule that needs several occurrences sees the other transactions' signals (advisory lock per node). */
    @Test
    void concurrentRitualFailuresFireOnceTheThirdIsStored() {
        String a = assistant();
        String node = unique("node");
        OffsetDateTime t = OffsetDateTime.now();
        List<Uni<SignalWriter.Written>> writes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            writes.add(writer.write(List.of(List.of(new SignalRequest(node, a, SignalKind.RITUAL_FAILURE, null, t, null)))));
        }
        Uni.join().all(writes).andFailFast().await().atMost(Duration.ofSeconds(60));
        // 30 failures within one second: the 3rd to 30th fire, all counted on one event
        assertEquals(28, count(pool, "SELECT occurrences FROM healing.healing_event WHERE node_id = $1", node));
    }
}
