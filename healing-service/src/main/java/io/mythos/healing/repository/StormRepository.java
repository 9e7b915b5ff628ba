package io.mythos.healing.repository;

import io.mythos.healing.engine.StormGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The storm guard's releases. A release takes the group's storm lock (SafetyRepository.STORM_LOCK_KEY, as
 * the storm decision does), ends the group's storm row and turns its held actions pending in one
 * transaction; {@code WHERE status = 'held'} makes each action change once, so that two instances releasing
 * together release every action exactly once between them.
 */
@ApplicationScoped
public class StormRepository {

    private final Pool pool;
    private final SafetyRepository safety;

    public StormRepository(Pool pool, SafetyRepository safety) {
        this.pool = pool;
        this.safety = safety;
    }

    /** A group in a storm, as listed. */
    public record Storm(String group, OffsetDateTime startedAt, double fraction, long held) {
    }

    /** What a release found: whether the group was in a storm, and how many held actions it released. */
    public record Released(boolean wasInStorm, int released) {
    }

    public Uni<List<Storm>> list() {
        return pool.query("""
                        SELECT s.assistant_group, s.started_at, s.fraction,
                               (SELECT count(*) FROM healing.repair_action a WHERE a.status = 'held' AND a.held_group = s.assistant_group)
                        FROM healing.storm s ORDER BY s.started_at, s.assistant_group""").execute()
                .map(rows -> {
                    List<Storm> storms = new ArrayList<>();
                    for (Row r : rows) {
                        storms.add(new Storm(r.getString(0), r.getOffsetDateTime(1), r.getDouble(2), r.getLong(3)));
                    }
                    return storms;
                });
    }

    /** The groups in a storm or with held actions. */
    public Uni<List<String>> stormyGroups() {
        return pool.query("""
                        SELECT assistant_group FROM healing.storm
                        UNION SELECT DISTINCT held_group FROM healing.repair_action WHERE status = 'held'""").execute()
                .map(rows -> {
                    List<String> groups = new ArrayList<>();
                    rows.forEach(r -> groups.add(r.getString(0)));
                    return groups;
                });
    }

    /**
     * Releases the group if it has calmed (its figures no longer over {@code fraction} within {@code window});
     * answers what it released, or null when the group is still stormy.
     */
    public Uni<Released> releaseIfCalm(String group, double fraction, int minAffected, Duration window) {
        return pool.withTransaction(conn -> lock(conn, group)
                .chain(() -> safety.groupStates(conn, List.of(group), window))
                .flatMap(states -> StormGuard.calm(states.get(0).figures(), fraction, minAffected)
                        ? release(conn, group, null, "auto") : Uni.createFrom().nullItem()));
    }

    /** An operator's release: whatever the figures, with the audit entry, in one transaction. */
    public Uni<Released> releaseByOperator(String group, String subject) {
        return pool.withTransaction(conn -> lock(conn, group).chain(() -> release(conn, group, subject, "operator")));
    }

    private Uni<Void> lock(SqlConnection conn, String group) {
        TreeSet<String> one = new TreeSet<>();
        one.add(group);
        return safety.lockGroups(conn, one);
    }

    private Uni<Released> release(SqlConnection conn, String group, String subject, String by) {
        return conn.preparedQuery("""
                        WITH s AS (
                            DELETE FROM healing.storm WHERE assistant_group = $1 RETURNING assistant_group
                        ), r AS (
                            UPDATE healing.repair_action
                               SET status = 'pending', hold_reason = NULL, released_at = now(), next_attempt_at = now(),
                                   updated_at = now()
                             WHERE status = 'held' AND held_group = $1
                            RETURNING id
                        ), a AS (
                            INSERT INTO healing.audit (subject, action, target, detail)
                            SELECT $2, 'storm.release', $1, jsonb_build_object('released', (SELECT count(*) FROM r),
                                                                               'in_storm', EXISTS (SELECT 1 FROM s))
                            WHERE $3::text = 'operator' AND (EXISTS (SELECT 1 FROM s) OR EXISTS (SELECT 1 FROM r))
                        )
                        SELECT EXISTS (SELECT 1 FROM s), (SELECT count(*) FROM r)::int""")
                .execute(Tuple.of(group, subject, by))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Released(r.getBoolean(0), r.getInteger(1));
                });
    }
}
