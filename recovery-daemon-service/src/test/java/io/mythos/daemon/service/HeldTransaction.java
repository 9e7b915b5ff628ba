package io.mythos.daemon.service;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * A transaction of the test's own, on a connection of its own, that holds its locks until the test ends
 * it: another daemon instance's recovery in progress, or a report not yet committed. The test then
 * waits for the database to say that a backend is blocked on it, instead of sleeping and hoping.
 */
final class HeldTransaction implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BLOCKED = """
            SELECT count(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))""";

    private final Pool pool;
    private final SqlConnection connection;
    private final Transaction transaction;
    private final int backendPid;
    private boolean ended;

    private HeldTransaction(Pool pool, SqlConnection connection, Transaction transaction, int backendPid) {
        this.pool = pool;
        this.connection = connection;
        this.transaction = transaction;
        this.backendPid = backendPid;
    }

    static HeldTransaction begin(Pool pool) {
        SqlConnection connection = pool.getConnection().await().atMost(WAIT);
        Transaction transaction = connection.begin().await().atMost(WAIT);
        int pid = connection.query("SELECT pg_backend_pid() AS pid").execute().await().atMost(WAIT)
                .iterator().next().getInteger("pid");
        return new HeldTransaction(pool, connection, transaction, pid);
    }

    SqlConnection connection() {
        return connection;
    }

    /** Returns once another backend waits for a lock this transaction holds. */
    void awaitBlocking() {
        Awaitility.await("a backend blocked by the held transaction").atMost(WAIT)
                .pollInterval(Duration.ofMillis(10)).until(this::blocksAnother);
    }

    private boolean blocksAnother() {
        return pool.preparedQuery(BLOCKED).execute(Tuple.of(backendPid)).await().atMost(WAIT)
                .iterator().next().getLong("n") > 0;
    }

    void commit() {
        ended = true;
        transaction.commit().await().atMost(WAIT);
    }

    @Override
    public void close() {
        try {
            if (!ended) {
                ended = true;
                transaction.rollback().await().atMost(WAIT);
            }
        } finally {
            connection.close().await().atMost(WAIT);
        }
    }
}
