package io.mythos.healing.repository;

import io.mythos.common.healing.ActionStatus;
import io.mythos.common.healing.ActionType;
import io.mythos.common.healing.EventStatus;
import io.mythos.common.healing.HealingEvent;
import io.mythos.common.healing.RepairAction;
import io.mythos.common.healing.SignalKind;
import io.mythos.platform.json.JsonText;
import io.mythos.platform.sql.Columns;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Healing events and their actions, as the recovery routes show them, and their status upkeep. */
@ApplicationScoped
public class EventRepository {

    private static final String EVENT_COLUMNS =
            "id, node_id, triggered_by, assistant_id, status, occurrences, symbolic_health_delta, created_at, resolved_at,"
            + " effective, recurrences, reason";

    /** Status, node, assistant and trigger filters; null means "any". */
    private static final String FILTER = """
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR node_id = $2)
              AND ($3::text IS NULL OR assistant_id = $3) AND ($4::text IS NULL OR triggered_by = $4)""";

    private final Pool pool;
    private final JsonText json;

    public EventRepository(Pool pool, JsonText json) {
        this.pool = pool;
        this.json = json;
    }

    public record Page(List<HealingEvent> events, long total) {
    }

    public Uni<Page> page(EventStatus status, String nodeId, String assistantId, SignalKind trigger, int limit, int offset) {
        Tuple filter = Tuple.tuple().addValue(status == null ? null : WireEnum.wireName(status)).addValue(nodeId)
                .addValue(assistantId).addValue(trigger == null ? null : WireEnum.wireName(trigger));
        Tuple paged = Tuple.tuple().addValue(filter.getValue(0)).addValue(nodeId).addValue(assistantId)
                .addValue(filter.getValue(3)).addValue(limit).addValue(offset);
        return pool.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM healing.healing_event " + FILTER
                        + " ORDER BY created_at DESC, id LIMIT $5 OFFSET $6")
                .execute(paged)
                .flatMap(rows -> {
                    List<Row> events = new ArrayList<>();
                    rows.forEach(events::add);
                    return withActions(pool, events);
                })
                .flatMap(events -> pool.preparedQuery("SELECT count(*) FROM healing.healing_event " + FILTER)
                        .execute(filter)
                        .map(rows -> new Page(events, rows.iterator().next().getLong(0))));
    }

    public Uni<HealingEvent> byId(UUID id) {
        return pool.preparedQuery("SELECT " + EVENT_COLUMNS + " FROM healing.healing_event WHERE id = $1")
                .execute(Tuple.of(id))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().nullItem();
                    }
                    return withActions(pool, List.of(rows.iterator().next())).map(l -> l.get(0));
                });
    }

    private Uni<List<HealingEvent>> withActions(SqlClient client, List<Row> eventRows) {
        if (eventRows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery("""
                        SELECT event_id, id, type, target, status, attempts, improvement, result, last_error,
                               next_attempt_at, hold_reason
                        FROM healing.repair_action WHERE event_id = ANY($1) ORDER BY event_id, seq""")
                .execute(Columns.of(eventRows).uuid(r -> r.getUUID("id")).tuple())
                .map(rows -> {
                    Map<UUID, List<RepairAction>> actions = new LinkedHashMap<>();
                    for (Row r : rows) {
                        ActionStatus status = WireEnum.parse(ActionStatus.class, r.getString("status"), "status");
                        actions.computeIfAbsent(r.getUUID("event_id"), k -> new ArrayList<>()).add(new RepairAction(
                                r.getUUID("id"),
                                WireEnum.parse(ActionType.class, r.getString("type"), "type"),
                                r.getString("target"),
                                status,
                                r.getInteger("attempts"),
                                r.getDouble("improvement"),
                                json.tree(r.getValue("result")),
                                r.getString("last_error"),
                                status == ActionStatus.PENDING ? r.getOffsetDateTime("next_attempt_at") : null,
                                status == ActionStatus.HELD ? r.getString("hold_reason") : null));
                    }
                    List<HealingEvent> events = new ArrayList<>(eventRows.size());
                    for (Row e : eventRows) {
                        UUID id = e.getUUID("id");
                        events.add(new HealingEvent(id, e.getString("node_id"),
                                WireEnum.parse(SignalKind.class, e.getString("triggered_by"), "triggered_by"),
                                e.getString("assistant_id"),
                                WireEnum.parse(EventStatus.class, e.getString("status"), "status"),
                                e.getInteger("occurrences"),
                                actions.getOrDefault(id, List.of()),
                                e.getDouble("symbolic_health_delta"),
                                e.getOffsetDateTime("created_at"),
                                e.getOffsetDateTime("resolved_at"),
                                e.getBoolean("effective"),
                                e.getInteger("recurrences"),
                                e.getString("reason")));
                    }
                    return events;
                });
    }

    /**
     * The per-(node, trigger) lock that firing signals and the ending of an event both take, in this
     * order of keys: without it, a firing signal racing the event's resolution would find the event
     * neither active (the index no longer holds it) nor yet resolved in its snapshot, and open a second
     * event inside the cooldown.
     */
    public static final String EVENT_LOCK_KEY = "hashtext('healing.event:' || triggered_by || ':' || node_id)::bigint";

    /**
     * Brings the events' status and delta in line with their actions: the delta is the mean improvement
     * of the succeeded actions; once none is pending (or held) the event ends, failed if one failed, else
     * resolved, and a resolved event is then watched for a recurrence for its rule's verify_seconds.
     * ({@code e.id = ANY($1)} on the event too: with only the join, a generic plan scanned every event.)
     */
    public Uni<Void> updateFromActions(SqlClient client, List<UUID> eventIds) {
        return client.preparedQuery(FROM_ACTIONS.formatted("= ANY($1)"))
                .execute(Columns.of(eventIds).uuid(id -> id).tuple()).replaceWithVoid();
    }

    /**
     * {@link #updateFromActions(SqlClient, List)} for one event, by equality: the hot path of every recorded outcome.
     * A generic plan of {@code = ANY($1)} cached while the tables were small kept scanning both tables whole as they
     * grew (a fresh database under load, issue 10); equality on the keys is an index lookup in every plan.
     */
    public Uni<Void> updateFromActions(SqlClient client, UUID eventId) {
        return client.preparedQuery(FROM_ACTIONS.formatted("= $1")).execute(Tuple.of(eventId)).replaceWithVoid();
    }

    /** The events' update from their actions; %s matches the event ids ({@code = $1} or {@code = ANY($1)}). */
    private static final String FROM_ACTIONS = """
            UPDATE healing.healing_event e
               SET symbolic_health_delta = x.delta,
                   status = CASE WHEN x.pending > 0 THEN 'active'
                                 WHEN x.failed > 0 THEN 'failed' ELSE 'resolved' END,
                   resolved_at = CASE WHEN x.pending > 0 THEN NULL ELSE now() END,
                   verify_until = CASE WHEN x.pending > 0 OR x.failed > 0 THEN NULL
                                       ELSE now() + make_interval(secs => coalesce(
                                           (SELECT r.verify_seconds FROM healing.rule r WHERE r.kind = e.triggered_by),
                                           120)) END
              FROM (SELECT event_id,
                           count(*) FILTER (WHERE status IN ('pending', 'held')) AS pending,
                           count(*) FILTER (WHERE status = 'failed') AS failed,
                           avg(improvement) FILTER (WHERE status = 'succeeded') AS delta
                      FROM healing.repair_action WHERE event_id %1$s GROUP BY event_id) x
             WHERE e.id %1$s AND e.id = x.event_id AND e.status = 'active'""";

    public Uni<Long> countActive() {
        return pool.query("SELECT count(*) FROM healing.healing_event WHERE status = 'active'").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** What an operator's resolve found: the event resolved now, or the status that refused it (null: no such event). */
    public record Resolve(boolean resolved, EventStatus found) {
    }

    /**
     * Resolves an escalated event (the flapping guard's), under the event's key lock, and records it in the
     * audit trail, in one transaction. Only an escalated event can be resolved so.
     */
    public Uni<Resolve> resolveEscalated(UUID id, String subject) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock(" + EVENT_LOCK_KEY
                        + ") FROM healing.healing_event WHERE id = $1").execute(Tuple.of(id))
                .flatMap(x -> conn.preparedQuery("""
                                WITH r AS (
                                    UPDATE healing.healing_event SET status = 'resolved', resolved_at = now(), resolved_by = $2
                                    WHERE id = $1 AND status = 'escalated'
                                    RETURNING id, node_id, triggered_by
                                ), a AS (
                                    INSERT INTO healing.audit (subject, action, target, detail)
                                    SELECT $2, 'event.resolve', r.id::text,
                                           jsonb_build_object('node_id', r.node_id, 'triggered_by', r.triggered_by)
                                    FROM r
                                )
                                SELECT true AS resolved, NULL AS status FROM r
                                UNION ALL
                                SELECT false, status FROM healing.healing_event WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM r)""")
                        .execute(Tuple.of(id, subject)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return new Resolve(false, null);
                    }
                    Row r = rows.iterator().next();
                    return r.getBoolean(0) ? new Resolve(true, EventStatus.RESOLVED)
                            : new Resolve(false, WireEnum.parse(EventStatus.class, r.getString(1), "status"));
                }));
    }
}
