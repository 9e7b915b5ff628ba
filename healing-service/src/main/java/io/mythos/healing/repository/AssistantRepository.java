package io.mythos.healing.repository;

import io.mythos.common.healing.Assistant;
import io.mythos.common.healing.AssistantRequest;
import io.mythos.healing.model.AssistantEntity;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The registry. Writes are plain SQL on the pool, one connection each; only the Panache reads need a
 * Hibernate Reactive session ({@code @WithSession} on them, and on the service methods that call the
 * inherited finders: a repository gets no session by itself, quarkus#34634). A session around a write
 * would hold a second connection while the write waits for its own: writes at once beyond the pool's
 * size then stalled it until the acquire timeout.
 */
@ApplicationScoped
public class AssistantRepository implements PanacheRepositoryBase<AssistantEntity, String> {

    /** One statement, so that two concurrent first PUTs of one id give one 201 and one 200, never a 500. */
    private static final String UPSERT = """
            INSERT INTO healing.assistant (assistant_id, name, assistant_group, zone)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (assistant_id) DO UPDATE
               SET name = EXCLUDED.name, assistant_group = EXCLUDED.assistant_group,
                   zone = EXCLUDED.zone, updated_at = now()
            RETURNING created_at, (xmax = 0) AS inserted""";

    private final Pool pool;

    public AssistantRepository(Pool pool) {
        this.pool = pool;
    }

    public record Upserted(Assistant assistant, boolean created) {
    }

    public Uni<Upserted> upsert(String assistantId, AssistantRequest req) {
        return pool.preparedQuery(UPSERT)
                .execute(Tuple.of(assistantId, req.name(), req.group(), req.zone()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    OffsetDateTime createdAt = row.getOffsetDateTime("created_at");
                    return new Upserted(new Assistant(assistantId, req.name(), req.group(), req.zone(), createdAt),
                            row.getBoolean("inserted"));
                });
    }

    /** The upsert and its audit entry (by {@code subject}), in one statement. */
    public Uni<Upserted> upsert(String assistantId, AssistantRequest req, String subject) {
        return pool.preparedQuery("""
                        WITH u AS (
                            INSERT INTO healing.assistant (assistant_id, name, assistant_group, zone)
                            VALUES ($1, $2, $3, $4)
                            ON CONFLICT (assistant_id) DO UPDATE
                               SET name = EXCLUDED.name, assistant_group = EXCLUDED.assistant_group,
                                   zone = EXCLUDED.zone, updated_at = now()
                            RETURNING assistant_id, name, assistant_group, zone, created_at, (xmax = 0) AS inserted
                        ), a AS (
                            INSERT INTO healing.audit (subject, action, target, detail)
                            SELECT $5, 'assistant.put', u.assistant_id, jsonb_build_object('name', u.name, 'group', u.assistant_group,
                                                                                           'zone', u.zone, 'created', u.inserted)
                            FROM u
                        )
                        SELECT created_at, inserted FROM u""")
                .execute(Tuple.of(assistantId, req.name(), req.group(), req.zone(), subject))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Upserted(new Assistant(assistantId, req.name(), req.group(), req.zone(), row.getOffsetDateTime("created_at")),
                            row.getBoolean("inserted"));
                });
    }

    /**
     * Deletes the assistant (the database cascades to its signals, events and actions) and records it, in
     * one statement. Answers whether it existed.
     */
    public Uni<Boolean> delete(String assistantId, String subject) {
        return pool.preparedQuery("""
                        WITH d AS (
                            DELETE FROM healing.assistant WHERE assistant_id = $1 RETURNING assistant_id, assistant_group, zone
                        ), a AS (
                            INSERT INTO healing.audit (subject, action, target, detail)
                            SELECT $2, 'assistant.delete', d.assistant_id, jsonb_build_object('group', d.assistant_group, 'zone', d.zone)
                            FROM d
                        )
                        SELECT count(*) FROM d""")
                .execute(Tuple.of(assistantId, subject))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    @WithSession
    public Uni<List<AssistantEntity>> page(String group, String zone, int limit, int offset) {
        Filter f = Filter.of(group, zone);
        return find(f.query, Sort.by("assistantId"), f.params).range(offset, lastIndex(offset, limit)).list();
    }

    @WithSession
    public Uni<Long> count(String group, String zone) {
        Filter f = Filter.of(group, zone);
        return count(f.query, f.params);
    }

    private record Filter(String query, Parameters params) {
        static Filter of(String group, String zone) {
            Parameters p = new Parameters();
            StringBuilder q = new StringBuilder("1 = 1");
            if (group != null) {
                q.append(" and group = :group");
                p = p.and("group", group);
            }
            if (zone != null) {
                q.append(" and zone = :zone");
                p = p.and("zone", zone);
            }
            return new Filter(q.toString(), p);
        }
    }

    /** The last row index of a page: offset + limit - 1, held at Integer.MAX_VALUE (an offset near it is valid input). */
    static int lastIndex(int offset, int limit) {
        return (int) Math.min(Integer.MAX_VALUE, (long) offset + limit - 1);
    }
}
