package io.mythos.healing.repository;

import io.mythos.common.healing.ActionStatus;
import io.mythos.common.healing.EventStatus;
import io.mythos.healing.engine.Firing.WindowProbe;
import io.mythos.healing.engine.Opening;
import io.mythos.healing.engine.FiringGroup;
import io.mythos.healing.engine.RepairPlan;
import io.mythos.healing.engine.Signal;
import io.mythos.healing.engine.SignalBatch.CountedOn;
import io.mythos.platform.sql.Columns;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The statements of the signal ingestion transaction. Each works on whole arrays (one round trip per
 * step, whatever the number of signals), and every invariant is enforced by PostgreSQL itself.
 */
@ApplicationScoped
public class SignalRepository {

    public record AssistantRef(String assistantId, String group, String zone) {
    }

    /** A request that a fast-path insert rejected, with an unregistered assistant it named. */
    public record Rejected(int request, String assistantId) {
    }

    public record NewAction(UUID id, UUID eventId, RepairPlan.Planned planned) {
    }

    /** A new action held by its group's storm. */
    public record HeldAction(NewAction action, String group) {
    }

    /**
     * The assistants named by the batch, locked against deletion (FOR KEY SHARE) until commit, so that
     * the signals and events written for them cannot lose their assistant meanwhile.
     */
    public Uni<Map<String, AssistantRef>> lockAssistants(SqlConnection conn, Set<String> assistantIds) {
        return conn.preparedQuery("""
                        SELECT assistant_id, assistant_group, zone FROM healing.assistant
                        WHERE assistant_id = ANY($1) FOR KEY SHARE""")
                .execute(Columns.of(List.copyOf(assistantIds)).text(id -> id).tuple())
                .map(rows -> {
                    Map<String, AssistantRef> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(r.getString(0), new AssistantRef(r.getString(0), r.getString(1), r.getString(2)));
                    }
                    return found;
                });
    }

    /**
     * The fast path, for batches in which no signal can fire: in one statement (one round trip, one
     * commit), lock the named assistants, insert the signals of every request that names only registered
     * ones, and answer the others.
     */
    public Uni<List<Rejected>> insertWhereKnown(Pool pool, List<Signal> signals) {
        return pool.preparedQuery("""
                        WITH u AS (
                            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[],
                                                 $6::text[], $7::int[])
                                AS u(node_id, assistant_id, kind, value, observed_at, detail, req)
                        ), known AS (
                            SELECT a.assistant_id FROM healing.assistant a
                            WHERE a.assistant_id IN (SELECT DISTINCT assistant_id FROM u) FOR KEY SHARE
                        ), bad AS (
                            SELECT DISTINCT u.req, u.assistant_id FROM u
                            WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.assistant_id = u.assistant_id)
                        ), ins AS (
                            INSERT INTO healing.signal (node_id, assistant_id, kind, value, observed_at, detail)
                            SELECT node_id, assistant_id, kind, value, observed_at, detail FROM u
                            WHERE NOT EXISTS (SELECT 1 FROM bad WHERE bad.req = u.req)
                        )
                        SELECT req, assistant_id FROM bad""")
                .execute(columns(signals).int4(Signal::request).tuple())
                .map(rows -> {
                    List<Rejected> rejected = new ArrayList<>();
                    for (Row r : rows) {
                        rejected.add(new Rejected(r.getInteger(0), r.getString(1)));
                    }
                    return rejected;
                });
    }

    public Uni<Void> insert(SqlConnection conn, List<Signal> signals) {
        return conn.preparedQuery("""
                        INSERT INTO healing.signal (node_id, assistant_id, kind, value, observed_at, detail)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[], $6::text[])""")
                .execute(columns(signals).tuple())
                .replaceWithVoid();
    }

    /** The signals' columns as healing.signal holds them: node_id, assistant_id, kind, value, observed_at, detail. */
    private static Columns<Signal> columns(List<Signal> signals) {
        return Columns.of(signals).text(Signal::nodeId).text(Signal::assistantId).text(s -> WireEnum.wireName(s.kind()))
                .float8(Signal::value).timestamptz(Signal::observedAt).text(Signal::detail);
    }

    /**
     * Serializes, across transactions and instances, the window counts of the same node and kind, so
     * that two concurrent batches each holding some of the occurrences still see each other's signals.
     * The keys are taken sorted, so that two batches take their locks in one order and cannot deadlock.
     */
    public Uni<Void> lockWindows(SqlConnection conn, List<WindowProbe> probes) {
        if (probes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        TreeSet<Long> keys = new TreeSet<>();
        for (WindowProbe p : probes) {
            String kind = WireEnum.wireName(p.signal().kind());
            keys.add(UUID.nameUUIDFromBytes((kind + '\u0000' + p.signal().nodeId()).getBytes(StandardCharsets.UTF_8))
                    .getMostSignificantBits());
        }
        return conn.preparedQuery("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, i) ORDER BY i")
                .execute(Columns.of(List.copyOf(keys)).int8(k -> k).tuple()).replaceWithVoid();
    }

    /**
     * For each probe, by its signal's ord: the qualifying signals of its node and kind stored in its
     * window, [from, observed_at].
     */
    public Uni<Map<Integer, Long>> windowCounts(SqlConnection conn, List<WindowProbe> probes) {
        if (probes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return conn.preparedQuery("""
                        SELECT u.ord, (SELECT count(*) FROM healing.signal s
                                       WHERE s.node_id = u.node_id AND s.kind = u.kind
                                         AND s.observed_at BETWEEN u.since AND u.at
                                         AND (u.threshold IS NULL OR s.value >= u.threshold))
                        FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::float8[])
                             AS u(ord, node_id, kind, since, at, threshold)""")
                .execute(Columns.of(probes).int4(p -> p.signal().ord()).text(p -> p.signal().nodeId())
                        .text(p -> WireEnum.wireName(p.signal().kind())).timestamptz(WindowProbe::from)
                        .timestamptz(p -> p.signal().observedAt()).float8(p -> p.rule().threshold()).tuple())
                .map(rows -> {
                    Map<Integer, Long> counts = new HashMap<>();
                    for (Row r : rows) {
                        counts.put(r.getInteger(0), r.getLong(1));
                    }
                    return counts;
                });
    }

    /**
     * Takes the per-(node, trigger) locks of the groups' events (see EventRepository.EVENT_LOCK_KEY), for the
     * rest of the transaction. Sorted keys: two batches lock their events in one order and cannot deadlock
     * (PostgreSQL sorts before it evaluates the target list).
     */
    public Uni<Void> lockEvents(SqlConnection conn, List<FiringGroup> groups) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT "
                        + EventRepository.EVENT_LOCK_KEY + " AS k FROM unnest($1::text[], $2::text[]) AS u(node_id, triggered_by)) s"
                        + " ORDER BY k")
                .execute(Columns.of(groups).text(FiringGroup::nodeId).text(g -> WireEnum.wireName(g.trigger())).tuple())
                .replaceWithVoid();
    }

    /**
     * Counts each group on its node's event, in one statement: on the open event when there is one
     * (active, escalated or silenced; the partial unique index healing_event_one_open makes concurrent
     * batches and instances meet on the same row), else on an event that ended at or after the group's
     * cooldownFrom (a silenced one excepted: the end of a silence opens the next firing's event), else on
     * a new event, which opens as {@code openings.get(ord)} says. The caller holds the groups' event locks
     * ({@link #lockEvents}). Answers, in group order, the event, whether this statement opened it, and
     * its status.
     */
    public Uni<List<CountedOn>> countOnEvents(SqlConnection conn, List<FiringGroup> groups, List<Opening> openings) {
        return conn.preparedQuery("""
                        WITH g AS (
                            SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[],
                                                 $7::text[], $8::text[], $9::uuid[], $10::timestamptz[])
                                AS g(ord, node_id, triggered_by, assistant_id, n, cooldown_from, status, reason, silence_id,
                                     silenced_until)
                        ), cooled AS (
                            UPDATE healing.healing_event e SET occurrences = e.occurrences + g.n
                            FROM g
                            WHERE NOT EXISTS (SELECT 1 FROM healing.healing_event a
                                              WHERE a.node_id = g.node_id AND a.triggered_by = g.triggered_by
                                                AND a.resolved_at IS NULL)
                              AND e.id = (SELECT r.id FROM healing.healing_event r
                                          WHERE r.node_id = g.node_id AND r.triggered_by = g.triggered_by
                                            AND r.status <> 'silenced' AND r.resolved_at >= g.cooldown_from
                                          ORDER BY r.resolved_at DESC LIMIT 1)
                            RETURNING e.id, g.ord, e.status
                        ), opened AS (
                            INSERT INTO healing.healing_event AS e (id, node_id, triggered_by, assistant_id, occurrences, status,
                                                                    reason, silence_id, silenced_until)
                            SELECT gen_random_uuid(), g.node_id, g.triggered_by, g.assistant_id, g.n, g.status, g.reason,
                                   g.silence_id, g.silenced_until
                            FROM g
                            WHERE NOT EXISTS (SELECT 1 FROM cooled c WHERE c.ord = g.ord)
                            ORDER BY g.ord
                            ON CONFLICT (node_id, triggered_by) WHERE resolved_at IS NULL
                            DO UPDATE SET occurrences = e.occurrences + EXCLUDED.occurrences, last_fired_at = now()
                            RETURNING e.id, e.node_id, e.triggered_by, (e.xmax = 0) AS created, e.status
                        )
                        SELECT g.ord, coalesce(c.id, o.id), coalesce(o.created, false), coalesce(c.status, o.status)
                        FROM g LEFT JOIN cooled c ON c.ord = g.ord
                               LEFT JOIN opened o ON o.node_id = g.node_id AND o.triggered_by = g.triggered_by""")
                .execute(Columns.of(groups).int4(FiringGroup::ord).text(FiringGroup::nodeId)
                        .text(g -> WireEnum.wireName(g.trigger())).text(FiringGroup::assistantId).int4(FiringGroup::count)
                        .timestamptz(FiringGroup::cooldownFrom)
                        .text(g -> WireEnum.wireName(openings.get(g.ord()).status()))
                        .text(g -> openings.get(g.ord()).reason())
                        .uuid(g -> openings.get(g.ord()).silenceId())
                        .timestamptz(g -> openings.get(g.ord()).silencedUntil()).tuple())
                .map(rows -> {
                    CountedOn[] counted = new CountedOn[groups.size()];
                    for (Row r : rows) {
                        counted[r.getInteger(0)] = new CountedOn(r.getUUID(1), r.getBoolean(2),
                                WireEnum.parse(EventStatus.class, r.getString(3), "status"));
                    }
                    return Arrays.asList(counted);
                });
    }

    /** The outbox: the new events' actions, written in the transaction that created the events. */
    public Uni<Void> insertActions(SqlConnection conn, List<NewAction> actions, ActionStatus status) {
        if (actions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                        INSERT INTO healing.repair_action (id, event_id, seq, type, target, status)
                        SELECT u.*, $6::text FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[])
                            AS u(id, event_id, seq, type, target)""")
                .execute(Columns.of(actions).uuid(NewAction::id).uuid(NewAction::eventId).int4(a -> a.planned().seq())
                        .text(a -> WireEnum.wireName(a.planned().type())).text(a -> a.planned().target())
                        .param(WireEnum.wireName(status)).tuple())
                .replaceWithVoid();
    }

    /** The outbox, for new actions held by the storm guard: status held, reason storm, with their group. */
    public Uni<Void> insertHeldActions(SqlConnection conn, List<HeldAction> held) {
        if (held.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                        INSERT INTO healing.repair_action (id, event_id, seq, type, target, status, hold_reason, held_group)
                        SELECT u.id, u.event_id, u.seq, u.type, u.target, 'held', 'storm', u.held_group
                        FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[])
                            AS u(id, event_id, seq, type, target, held_group)""")
                .execute(Columns.of(held).uuid(h -> h.action().id()).uuid(h -> h.action().eventId())
                        .int4(h -> h.action().planned().seq()).text(h -> WireEnum.wireName(h.action().planned().type()))
                        .text(h -> h.action().planned().target()).text(HeldAction::group).tuple())
                .replaceWithVoid();
    }
}
