package io.mythos.daemon.repository;

import io.mythos.platform.sql.Columns;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox of stalled zones to report to the healing service. A row is {@code pending} until the
 * healing service accepts it ({@code sent}) or refuses it for good ({@code rejected}).
 */
@ApplicationScoped
public class EscalationRepository {

    /** A stalled zone to report: its most divergent replica and its divergence. */
    public record Escalation(long id, String zone, String assistantId, double divergence) {
    }

    private static final String INSERT = """
            INSERT INTO recovery.escalation (zone, assistant_id, divergence)
            SELECT * FROM unnest($1::text[], $2::text[], $3::float8[])""";

    // A lease rather than a lock held across the HTTP call (calls stay outside transactions): two
    // daemons never send the same row at once, and a daemon that dies mid-call frees it after 60 s.
    private static final String CLAIM = """
            UPDATE recovery.escalation SET claimed_until = now() + interval '60 seconds', attempts = attempts + 1
             WHERE id IN (SELECT id FROM recovery.escalation
                           WHERE status = 'pending' AND (claimed_until IS NULL OR claimed_until < now())
                           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, zone, assistant_id, divergence""";

    // $2 and $3 typed in the SQL: $2 is both stored (varchar) and compared (text), and PostgreSQL refuses to deduce
    // two types for one parameter when the client sends none (seen once in the soak, docs/BENCHMARKS.md)
    static final String FINISH = """
            UPDATE recovery.escalation SET status = $2::varchar, last_error = $3::text, claimed_until = NULL,
                   sent_at = CASE WHEN $2::varchar = 'sent' THEN now() END
             WHERE id = $1::bigint""";

    private static final String RELEASE = """
            UPDATE recovery.escalation SET claimed_until = NULL, attempts = attempts - 1 WHERE id = ANY($1)""";

    public Uni<Void> insert(SqlClient db, List<Escalation> escalations) {
        if (escalations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery(INSERT)
                .execute(Columns.of(escalations).text(Escalation::zone).text(Escalation::assistantId)
                        .float8(Escalation::divergence).tuple())
                .replaceWithVoid();
    }

    public Uni<List<Escalation>> claim(SqlClient db, int limit) {
        return db.preparedQuery(CLAIM).execute(Tuple.of(limit)).map(rows -> {
            List<Escalation> out = new ArrayList<>(rows.rowCount());
            for (Row row : rows) {
                out.add(new Escalation(row.getLong("id"), row.getString("zone"), row.getString("assistant_id"),
                        row.getDouble("divergence")));
            }
            return out;
        });
    }

    /** The healing service accepted the signal: done. */
    public Uni<Void> sent(SqlClient db, long id) {
        return finish(db, id, "sent", null);
    }

    /** The healing service refused the signal: done, never retried. */
    public Uni<Void> rejected(SqlClient db, long id, String error) {
        return finish(db, id, "rejected", error);
    }

    /** The call failed: pending again, for a later cycle. */
    public Uni<Void> retryLater(SqlClient db, long id, String error) {
        return finish(db, id, "pending", error);
    }

    private Uni<Void> finish(SqlClient db, long id, String status, String error) {
        return db.preparedQuery(FINISH).execute(Tuple.of(id, status, error)).replaceWithVoid();
    }

    /** Gives claimed rows back untried (pending, for the next cycle). */
    public Uni<Void> release(SqlClient db, List<Escalation> escalations) {
        if (escalations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery(RELEASE).execute(Columns.of(escalations).int8(Escalation::id).tuple())
                .replaceWithVoid();
    }
}
