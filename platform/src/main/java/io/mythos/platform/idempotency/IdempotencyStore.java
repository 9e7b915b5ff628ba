package io.mythos.platform.idempotency;

import io.mythos.platform.sql.SqlState;
import io.mythos.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one idempotency store of every service (DESIGN.md "Idempotency"), in a table
 * {@code <schema>.idempotency_key (route, key, fingerprint, status, body, created_at, expires_at)}
 * that each service creates in its own schema.
 * <p>
 * The key's row is inserted first thing in the transaction of the work it guards and receives the
 * answer in that same transaction, so a committed row always holds an answer and the work and its
 * answer are stored together or not at all. What follows from that:
 * <ul>
 * <li>a new key: the work runs, its answer is stored with the key;</li>
 * <li>the same key and request again: the stored answer, same status and body, marked replayed;
 *     nothing runs;</li>
 * <li>the same key, another request (fingerprint): 422 {@code idempotency-key-reused}, nothing runs;</li>
 * <li>the same key while the first is still running: the insert waits on the first's uncommitted row
 *     for at most {@link #IN_FLIGHT_WAIT}, then 409 with {@code Retry-After}; if the first commits in
 *     time, its answer is replayed; if it fails (a 4xx rolls its transaction back), this one runs;</li>
 * <li>a key older than its retention ({@code expires_at} passed) counts as new even before the purge
 *     deletes it.</li>
 * </ul>
 * Only answers of work that committed are kept: a request that failed keeps no key and can be sent again.
 */
public final class IdempotencyStore {

    /** How long a repeat waits for the first request with its key to finish. */
    public static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(3);
    /** The problem type of a key reused for another request; ends with {@code idempotency-key-reused} as DESIGN.md says. */
    public static final String REUSED_TYPE = "urn:mythos:problem:idempotency-key-reused";

    /**
     * Sets the in-flight bound and answers the setting it replaces; the materialised CTE reads the old value
     * before the outer row sets the new one.
     */
    private static final String BOUND_WAIT = "WITH p AS MATERIALIZED (SELECT current_setting('lock_timeout') AS previous)"
            + " SELECT previous, set_config('lock_timeout', $1, true) FROM p";
    private static final String RESTORE = "SELECT set_config('lock_timeout', $1, true)";

    private final String claim;
    private final String stored;
    private final String answer;
    private final long keepSeconds;

    /**
     * @param schema the service's schema, holding {@code idempotency_key}
     * @param keep how long a key is kept ({@code mythos.<service>.retention.idempotency-keys})
     */
    public IdempotencyStore(String schema, Duration keep) {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a schema name: " + schema);
        }
        String table = schema + ".idempotency_key";
        this.claim = "INSERT INTO " + table + " AS k (route, key, fingerprint, expires_at)"
                + " VALUES ($1, $2, $3, now() + $4 * interval '1 second')"
                + " ON CONFLICT (route, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status = NULL, body = NULL,"
                + " created_at = now(), expires_at = EXCLUDED.expires_at WHERE k.expires_at <= now()"
                + " RETURNING set_config('lock_timeout', $5, true)";
        this.stored = "SELECT fingerprint, status, body FROM " + table + " WHERE route = $1 AND key = $2";
        this.answer = "UPDATE " + table + " SET status = $3, body = $4 WHERE route = $1 AND key = $2";
        this.keepSeconds = Math.max(1, keep.toSeconds());
    }

    /**
     * Runs {@code work} inside {@code conn}'s transaction under the request's key, or gives the answer
     * stored for it. Call it first in the transaction, before the work takes any lock of its own.
     *
     * @param request null when the client sent no key: the work just runs
     */
    public <T> Uni<IdempotentAnswer<T>> run(SqlConnection conn, IdempotentRequest request, Supplier<Uni<IdempotentAnswer<T>>> work) {
        if (request == null) {
            return Uni.createFrom().deferred(() -> work.get());
        }
        return claim(conn, request).chain(fresh -> fresh
                ? Uni.createFrom().deferred(() -> work.get()).call(a -> conn.preparedQuery(answer)
                        .execute(Tuple.of(request.route(), request.key(), a.status(), a.body())))
                : replay(conn, request));
    }

    /** Inserts the key, waiting at most {@link #IN_FLIGHT_WAIT} for a transaction that holds it; true when it is this request's. */
    private Uni<Boolean> claim(SqlConnection conn, IdempotentRequest r) {
        // lock_timeout bounds the wait on the other transaction's row; the setting is restored by the insert's
        // RETURNING (or, when the key was taken, by a statement of its own), so that the work's own locks keep the
        // service's bounds. Two statements, not four: every rebalance and recovery with a key pays them.
        return conn.preparedQuery(BOUND_WAIT).execute(Tuple.of(IN_FLIGHT_WAIT.toMillis() + "ms"))
                .map(rows -> rows.iterator().next().getString(0))
                .chain(previous -> conn.preparedQuery(claim)
                        .execute(Tuple.of(r.route(), r.key(), r.fingerprint(), keepSeconds, previous))
                        .onFailure(e -> SqlState.is(e, SqlState.LOCK_NOT_AVAILABLE)).transform(e -> inFlight())
                        .chain(rows -> rows.size() == 1 ? Uni.createFrom().item(Boolean.TRUE)
                                : conn.preparedQuery(RESTORE).execute(Tuple.of(previous)).replaceWith(Boolean.FALSE)));
    }

    private <T> Uni<IdempotentAnswer<T>> replay(SqlConnection conn, IdempotentRequest r) {
        return conn.preparedQuery(stored).execute(Tuple.of(r.route(), r.key())).map((RowSet<Row> rows) -> {
            Row row = rows.iterator().next();
            if (!r.fingerprint().equals(row.getString("fingerprint"))) {
                throw new ProblemException(422, REUSED_TYPE, "Idempotency Key Reused",
                        "This Idempotency-Key was used for a different request to this route; nothing was done. "
                                + "Use a new key for a new request.", null, null);
            }
            return new IdempotentAnswer<>(row.getInteger("status"), row.getString("body"), true, null);
        });
    }

    private static ProblemException inFlight() {
        return new ProblemException(409, "about:blank", "Conflict",
                "A request with this Idempotency-Key is still being processed; retry after it finishes",
                null, 1);
    }
}
