package io.mythos.platform.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.platform.testing.TestPostgres;
import io.mythos.platform.web.ProblemException;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The idempotency store against a real table shaped like the services' {@code idempotency_key}: a new key runs
 * the work once and keeps its answer, a repeat replays it, another request under the key is a 422, a key held
 * by a running transaction is a 409 after the in-flight wait; and the claim's own lock bound never leaks into
 * the work or the replay (the transaction's lock_timeout is what it was before the claim).
 */
@QuarkusTest
class IdempotencyStoreTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final IdempotencyStore store = new IdempotencyStore("idem_probe", Duration.ofHours(1));

    @Inject
    Pool pool;

    @BeforeEach
    void table() {
        pool.query("""
                CREATE SCHEMA IF NOT EXISTS idem_probe;
                CREATE TABLE IF NOT EXISTS idem_probe.idempotency_key (
                    route varchar(100) NOT NULL, key varchar(200) NOT NULL, fingerprint char(64) NOT NULL,
                    status smallint, body text, created_at timestamptz NOT NULL DEFAULT now(),
                    expires_at timestamptz NOT NULL, PRIMARY KEY (route, key))""").execute().await().atMost(TIMEOUT);
    }

    private static IdempotentRequest request(String key, String body) {
        return IdempotentRequest.of("probe", key, "/probe", body);
    }

    /**
     * Runs the store in a transaction whose own lock bound is 1234 ms (and whose statements may outlast the in-flight
     * wait, which the test profile's short statement_timeout would cut); the work records the bound it sees.
     */
    private IdempotentAnswer<String> run(IdempotentRequest r, AtomicInteger runs, String[] seen) {
        return pool.withTransaction(conn -> conn.query("SET LOCAL lock_timeout = '1234ms'; SET LOCAL statement_timeout = '10s'").execute()
                        .chain(() -> store.run(conn, r, () -> {
                            runs.incrementAndGet();
                            return timeout(conn).invoke(t -> seen[0] = t)
                                    .map(t -> IdempotentAnswer.of(201, "{\"n\":" + runs.get() + "}", "fresh"));
                        }))
                        .call(a -> timeout(conn).invoke(t -> seen[1] = t)))
                .await().atMost(TIMEOUT);
    }

    private static Uni<String> timeout(SqlConnection conn) {
        return conn.query("SELECT current_setting('lock_timeout')").execute().map(rows -> rows.iterator().next().getString(0));
    }

    @Test
    void aNewKeyRunsOnceAndItsRepeatIsReplayedWithTheTransactionsOwnLockBound() {
        IdempotentRequest r = request(UUID.randomUUID().toString(), "{\"a\":1}");
        AtomicInteger runs = new AtomicInteger();
        String[] seen = new String[2];

        IdempotentAnswer<String> first = run(r, runs, seen);
        assertFalse(first.replayed());
        assertEquals(201, first.status());
        assertEquals("1234ms", seen[0], "the work runs under the transaction's bound, not the claim's");
        assertEquals("1234ms", seen[1]);

        String[] again = new String[2];
        IdempotentAnswer<String> second = run(r, runs, again);
        assertTrue(second.replayed());
        assertEquals(201, second.status());
        assertEquals("{\"n\":1}", second.body());
        assertEquals(1, runs.get(), "a repeat runs nothing");
        assertEquals("1234ms", again[1], "a replay restores the transaction's bound too");
    }

    @Test
    void anotherRequestUnderTheKeyIs422AndRunsNothing() {
        String key = UUID.randomUUID().toString();
        AtomicInteger runs = new AtomicInteger();
        run(request(key, "{\"a\":1}"), runs, new String[2]);
        ProblemException e = org.junit.jupiter.api.Assertions.assertThrows(ProblemException.class,
                () -> run(request(key, "{\"a\":2}"), runs, new String[2]));
        assertEquals(422, e.status());
        assertEquals(1, runs.get());
    }

    @Test
    void aKeyHeldByARunningTransactionIs409AfterTheInFlightWait() throws Exception {
        IdempotentRequest r = request(UUID.randomUUID().toString(), "{\"a\":1}");
        TestPostgres db = TestPostgres.database();
        try (Connection holder = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            holder.setAutoCommit(false);
            try (PreparedStatement s = holder.prepareStatement("INSERT INTO idem_probe.idempotency_key"
                    + " (route, key, fingerprint, expires_at) VALUES (?, ?, ?, now() + interval '1 hour')")) {
                s.setString(1, r.route());
                s.setString(2, r.key());
                s.setString(3, r.fingerprint());
                s.executeUpdate();
            }
            AtomicInteger runs = new AtomicInteger();
            long started = System.nanoTime();
            ProblemException e = org.junit.jupiter.api.Assertions.assertThrows(ProblemException.class,
                    () -> run(r, runs, new String[2]));
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertEquals(409, e.status());
            assertEquals(0, runs.get());
            assertTrue(waited >= IdempotencyStore.IN_FLIGHT_WAIT.toMillis() - 100,
                    "it waited for the first request, at most the in-flight wait: " + waited + " ms");
            holder.rollback();
        }
        // the first request failed and kept no key: this one runs
        AtomicInteger runs = new AtomicInteger();
        assertFalse(run(r, runs, new String[2]).replayed());
        assertEquals(1, runs.get());
    }
}
