package io.mythos.healing.repository;

import io.mythos.common.healing.Silence;
import io.mythos.common.healing.SilenceMatchers;
import io.mythos.common.healing.SignalKind;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Silences (maintenance windows), each written or deleted together with its audit entry. */
@ApplicationScoped
public class SilenceRepository {

    private static final String COLUMNS = "id, node_id, assistant_id, assistant_group, triggered_by, starts_at, ends_at, comment, "
            + "created_by, created_at, (starts_at <= now()) AS in_force";

    private final Pool pool;

    public SilenceRepository(Pool pool) {
        this.pool = pool;
    }

    public record Page(List<Silence> silences, long total) {
    }

    /** Stores a silence; {@code startsAt} null means now. */
    public Uni<Silence> create(SilenceMatchers m, OffsetDateTime startsAt, OffsetDateTime endsAt, String comment, String subject) {
        return pool.preparedQuery("""
                        WITH s AS (
                            INSERT INTO healing.silence (id, node_id, assistant_id, assistant_group, triggered_by, starts_at, ends_at,
                                                         comment, created_by)
                            VALUES ($1, $2, $3, $4, $5, coalesce($6, now()), $7, $8, $9)
                            RETURNING\s""" + COLUMNS + """
                        ), a AS (
                            INSERT INTO healing.audit (subject, action, target, detail)
                            SELECT $9, 'silence.create', s.id::text,
                                   jsonb_strip_nulls(jsonb_build_object('node_id', s.node_id, 'assistant_id', s.assistant_id,
                                       'group', s.assistant_group, 'triggered_by', s.triggered_by, 'starts_at', s.starts_at,
                                       'ends_at', s.ends_at, 'comment', s.comment))
                            FROM s
                        )
                        SELECT * FROM s""")
                .execute(Tuple.tuple().addValue(UUID.randomUUID()).addValue(m.nodeId()).addValue(m.assistantId())
                        .addValue(m.group()).addValue(m.triggeredBy() == null ? null : WireEnum.wireName(m.triggeredBy()))
                        .addValue(startsAt).addValue(endsAt).addValue(comment).addValue(subject))
                .map(rows -> view(rows.iterator().next()));
    }

    /** The silences in force and those to come, soonest ending first. */
    public Uni<Page> page(int limit, int offset) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM healing.silence WHERE ends_at > now() ORDER BY ends_at, id LIMIT $1 OFFSET $2")
                .execute(Tuple.of(limit, offset))
                .flatMap(rows -> {
                    List<Silence> silences = new ArrayList<>();
                    rows.forEach(r -> silences.add(view(r)));
                    return pool.query("SELECT count(*) FROM healing.silence WHERE ends_at > now()").execute()
                            .map(count -> new Page(silences, count.iterator().next().getLong(0)));
                });
    }

    public Uni<Silence> byId(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM healing.silence WHERE id = $1 AND ends_at > now()")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()));
    }

    /**
     * Deletes a silence that has not ended, ends the events it silenced (a later firing then opens a new
     * event, repaired), and records it, in one statement. Answers whether there was such a silence.
     */
    public Uni<Boolean> delete(UUID id, String subject) {
        return pool.preparedQuery("""
                        WITH s AS (
                            DELETE FROM healing.silence WHERE id = $1 AND ends_at > now() RETURNING id, comment
                        ), e AS (
                            UPDATE healing.healing_event SET resolved_at = now(), silenced_until = now()
                            WHERE silence_id IN (SELECT id FROM s) AND status = 'silenced' AND resolved_at IS NULL
                            RETURNING id
                        ), a AS (
                            INSERT INTO healing.audit (subject, action, target, detail)
                            SELECT $2, 'silence.delete', s.id::text,
                                   jsonb_build_object('comment', s.comment, 'events_ended', (SELECT count(*) FROM e))
                            FROM s
                        )
                        SELECT count(*) FROM s""")
                .execute(Tuple.of(id, subject))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    private static Silence view(Row r) {
        String trigger = r.getString("triggered_by");
        return new Silence(r.getUUID("id"),
                new SilenceMatchers(r.getString("node_id"), r.getString("assistant_id"), r.getString("assistant_group"),
                        trigger == null ? null : WireEnum.parse(SignalKind.class, trigger, "triggered_by")),
                r.getOffsetDateTime("starts_at"), r.getOffsetDateTime("ends_at"), r.getString("comment"),
                r.getBoolean("in_force") ? "active" : "future", r.getString("created_by"), r.getOffsetDateTime("created_at"));
    }
}
