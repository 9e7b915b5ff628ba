package io.mythos.daemon.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** The outbox of stalled zones to report to the healing service. */
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

    private static final String FINISH = """
            UPDATE recovery.escalation SET status = $2, last_error = $3, claimed_until = NULL,
                   sent_at = CASE WHEN $2 = 'sent' THEN now() END
             WHERE id = $1""";

    private static final String RELEASE = """
            UPDATE recovery.escalation SET claimed_until = NULL, attempts = attempts - 1 WHERE id = ANY($1)""";

    private static final String STATUS = "SELECT status FROM recovery.escalation WHERE zone = $1 ORDER BY id";

    public Uni<Void> insert(SqlClient db, List<Escalation> escalations) {
        if (escalations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = escalations.size();
        String[] zones = new String[n];
        String[] ids = new String[n];
        Double[] divergences = new Double[n];
        for (int i = 0; i < n; i++) {
            zones[i] = escalations.get(i).zone();
            ids[i] = escalations.get(i).assistantId();
            divergences[i] = escalations.get(i).divergence();
        }
        return db.preparedQuery(INSERT)
                .execute(Tuple.tuple().addArrayOfString(zones).addArrayOfString(ids).addArrayOfDouble(divergences))
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

    /** Ends a claim: {@code sent}, {@code rejected}, or {@code pending} again (retried on a later cycle). */
    public Uni<Void> finish(SqlClient db, long id, String status, String error) {
        return db.preparedQuery(FINISH).execute(Tuple.of(id, status, error)).replaceWithVoid();
    }

    /** Gives claimed rows back untried (pending, for the next cycle). */
    public Uni<Void> release(SqlClient db, List<Escalation> escalations) {
        if (escalations.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Long[] ids = escalations.stream().map(Escalation::id).toArray(Long[]::new);
        return db.preparedQuery(RELEASE).execute(Tuple.tuple().addArrayOfLong(ids)).replaceWithVoid();
    }

    /** The statuses of a zone's escalations, oldest first. */
    public Uni<List<String>> statuses(SqlClient db, String zone) {
        return db.preparedQuery(STATUS).execute(Tuple.of(zone)).map(rows -> {
            List<String> out = new ArrayList<>();
            rows.forEach(r -> out.add(r.getString("status")));
            return out;
        });
    }
}
