package io.mythos.healing.repository;

import io.mythos.common.healing.ActionStatus;
import io.mythos.platform.web.WireEnum;
import io.mythos.healing.engine.RepairPlan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The statements of the signal ingestion transaction. Each works on whole arrays (one round trip per
 * step, whatever the number of signals), and every invariant is enforced by PostgreSQL itself.
 */
@ApplicationScoped
public class SignalRepository {

    public record AssistantRef(String assistantId, String group, String zone) {
    }

    /** A signal as stored; {@code ord} is its position in the batch. */
    public record SignalRow(int ord, String nodeId, String assistantId, String kind, Double value,
                            OffsetDateTime observedAt, String detail) {
    }

    /** A signal whose rule needs the count of its node's recent signals. */
    public record WindowProbe(int ord, String nodeId, String kind, OffsetDateTime observedAt, int windowSeconds,
                              Double threshold) {
    }

    /** The firing signals of one node and trigger in this batch. */
    public record FireGroup(int ord, String nodeId, String trigger, String assistantId, int count,
                            OffsetDateTime lastObservedAt, int cooldownSeconds) {
    }

    public record Fired(int groupOrd, UUID eventId, boolean isNew) {
    }

    public record NewAction(UUID id, UUID eventId, RepairPlan.Planned planned) {
    }

    /**
     * The assistants named by the batch, locked against deletion (FOR KEY SHARE) until commit, so that
     * the signals and events written for them cannot lose their assistant meanwhile.
     */
    public Uni<Map<String, AssistantRef>> lockAssistants(SqlConnection conn, String[] assistantIds) {
        return conn.preparedQuery("""
                        SELECT assistant_id, assistant_group, zone FROM healing.assistant
                        WHERE assistant_id = ANY($1) FOR KEY SHARE""")
                .execute(Tuple.of(assistantIds))
                .map(rows -> {
                    Map<String, AssistantRef> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(r.getString(0), new AssistantRef(r.getString(0), r.getString(1), r.getString(2)));
                    }
                    return found;
                });
    }

    /** A request that a fast-path insert rejected, with an unregistered assistant it named. */
    public record Rejected(int request, String assistantId) {
    }

    /**
     * The fast path, for batches in which no signal can fire: in one statement (one round trip, one
     * commit), lock the named assistants, insert the signals of every request that names only registered
     * ones, and answer the others. {@code requestOf[i]} is the request of signal i.
     */
    public Uni<List<Rejected>> insertWhereKnown(Pool pool, List<SignalRow> signals, Integer[] requestOf) {
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
                .execute(columns(signals).addValue(requestOf))
                .map(rows -> {
                    List<Rejected> rejected = new ArrayList<>();
                    for (Row r : rows) {
                        rejected.add(new Rejected(r.getInteger(0), r.getString(1)));
                    }
                    return rejected;
                });
    }

    /** The signals as six column arrays: node_id, assistant_id, kind, value, observed_at, detail. */
    private static Tuple columns(List<SignalRow> signals) {
        int n = signals.size();
        String[] node = new String[n];
        String[] assistant = new String[n];
        String[] kind = new String[n];
        Double[] value = new Double[n];
        OffsetDateTime[] observed = new OffsetDateTime[n];
        String[] detail = new String[n];
        for (int i = 0; i < n; i++) {
            SignalRow s = signals.get(i);
            node[i] = s.nodeId();
            assistant[i] = s.assistantId();
            kind[i] = s.kind();
            value[i] = s.value();
            observed[i] = s.observedAt();
            detail[i] = s.detail();
        }
        return Tuple.tuple().addValue(node).addValue(assistant).addValue(kind).addValue(value).addValue(observed)
                .addValue(detail);
    }

    /**
     * Serializes, across transactions and instances, the window counts of the same node and kind, so
     * that two concurrent batches each holding some of the occurrences still see each other's signals.
     * The keys come sorted, so that two batches take their locks in one order and cannot deadlock.
     */
    public Uni<Void> lockWindows(SqlConnection conn, Long[] sortedKeys) {
        if (sortedKeys.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, i) ORDER BY i")
                .execute(Tuple.of(sortedKeys)).replaceWithVoid();
    }

    public Uni<Void> insert(SqlConnection conn, List<SignalRow> signals) {
        return conn.preparedQuery("""
                        INSERT INTO healing.signal (node_id, assistant_id, kind, value, observed_at, detail)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[], $6::text[])""")
                .execute(columns(signals))
                .replaceWithVoid();
    }

    /** For each probe: the qualifying signals of its node and kind in [observed_at − window, observed_at]. */
    public Uni<Map<Integer, Long>> windowCounts(SqlConnection conn, List<WindowProbe> probes) {
        if (probes.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        int n = probes.size();
        Integer[] ord = new Integer[n];
        String[] node = new String[n];
        String[] kind = new String[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        Integer[] window = new Integer[n];
        Double[] threshold = new Double[n];
        for (int i = 0; i < n; i++) {
            WindowProbe p = probes.get(i);
            ord[i] = p.ord();
            node[i] = p.nodeId();
            kind[i] = p.kind();
            at[i] = p.observedAt();
            window[i] = p.windowSeconds();
            threshold[i] = p.threshold();
        }
        return conn.preparedQuery("""
                        SELECT u.ord, (SELECT count(*) FROM healing.signal s
                                       WHERE s.node_id = u.node_id AND s.kind = u.kind
                                         AND s.observed_at BETWEEN u.at - make_interval(secs => u.win) AND u.at
                                         AND (u.threshold IS NULL OR s.value >= u.threshold))
                        FROM unnest($1::int[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::float8[])
                             AS u(ord, node_id, kind, at, win, threshold)""")
                .execute(Tuple.tuple().addValue(ord).addValue(node).addValue(kind).addValue(at).addValue(window)
                        .addValue(threshold))
                .map(rows -> {
                    Map<Integer, Long> counts = new HashMap<>();
                    for (Row r : rows) {
                        counts.put(r.getInteger(0), r.getLong(1));
                    }
                    return counts;
                });
    }

    /**
     * Counts each group on its node's event, in one statement: on the active event when there is one
     * (the partial unique index healing_event_one_active makes concurrent batches and instances meet
     * on the same row), else on an event that ended within the cooldown before the group's last
     * observation, else on a new event. {@code new} is true only for an event this statement created.
     */
    public Uni<List<Fired>> fire(SqlConnection conn, List<FireGroup> groups) {
        int n = groups.size();
        Integer[] ord = new Integer[n];
        String[] node = new String[n];
        String[] trigger = new String[n];
        String[] assistant = new String[n];
        Integer[] count = new Integer[n];
        OffsetDateTime[] last = new OffsetDateTime[n];
        Integer[] cooldown = new Integer[n];
        for (int i = 0; i < n; i++) {
            FireGroup g = groups.get(i);
            ord[i] = g.ord();
            node[i] = g.nodeId();
            trigger[i] = g.trigger();
            assistant[i] = g.assistantId();
            count[i] = g.count();
            last[i] = g.lastObservedAt();
            cooldown[i] = g.cooldownSeconds();
        }
        // Sorted keys: two batches lock their events in one order and cannot deadlock (PostgreSQL sorts
        // before it evaluates the target list). See EventRepository.EVENT_LOCK_KEY.
        Uni<Void> lock = conn.preparedQuery("SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT "
                        + EventRepository.EVENT_LOCK_KEY + " AS k FROM unnest($1::text[], $2::text[]) AS u(node_id, triggered_by)) s"
                        + " ORDER BY k")
                .execute(Tuple.of(node, trigger)).replaceWithVoid();
        return lock.chain(() -> conn.preparedQuery("""
                        WITH g AS (
                            SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[],
                                                 $6::timestamptz[], $7::int[])
                                AS g(ord, node_id, triggered_by, assistant_id, n, last_at, cooldown)
                        ), cooled AS (
                            UPDATE healing.healing_event e SET occurrences = e.occurrences + g.n
                            FROM g
                            WHERE NOT EXISTS (SELECT 1 FROM healing.healing_event a
                                              WHERE a.node_id = g.node_id AND a.triggered_by = g.triggered_by
                                                AND a.status = 'active')
                              AND e.id = (SELECT r.id FROM healing.healing_event r
                                          WHERE r.node_id = g.node_id AND r.triggered_by = g.triggered_by
                                            AND r.status <> 'active'
                                            AND r.resolved_at >= g.last_at - make_interval(secs => g.cooldown)
                                          ORDER BY r.resolved_at DESC LIMIT 1)
                            RETURNING e.id, g.ord
                        ), opened AS (
                            INSERT INTO healing.healing_event AS e (id, node_id, triggered_by, assistant_id, occurrences)
                            SELECT gen_random_uuid(), g.node_id, g.triggered_by, g.assistant_id, g.n FROM g
                            WHERE NOT EXISTS (SELECT 1 FROM cooled c WHERE c.ord = g.ord)
                            ORDER BY g.ord
                            ON CONFLICT (node_id, triggered_by) WHERE status = 'active'
                            DO UPDATE SET occurrences = e.occurrences + EXCLUDED.occurrences
                            RETURNING e.id, e.node_id, e.triggered_by, (e.xmax = 0) AS created
                        )
                        SELECT g.ord, coalesce(c.id, o.id), coalesce(o.created, false)
                        FROM g LEFT JOIN cooled c ON c.ord = g.ord
                               LEFT JOIN opened o ON o.node_id = g.node_id AND o.triggered_by = g.triggered_by""")
                .execute(Tuple.tuple().addValue(ord).addValue(node).addValue(trigger).addValue(assistant)
                        .addValue(count).addValue(last).addValue(cooldown)))
                .map(rows -> {
                    List<Fired> fired = new ArrayList<>(n);
                    for (Row r : rows) {
                        fired.add(new Fired(r.getInteger(0), r.getUUID(1), r.getBoolean(2)));
                    }
                    return fired;
                });
    }

    /** The outbox: the new events' actions, written in the transaction that created the events. */
    public Uni<Void> insertActions(SqlConnection conn, List<NewAction> actions, ActionStatus status) {
        if (actions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = actions.size();
        UUID[] id = new UUID[n];
        UUID[] event = new UUID[n];
        Integer[] seq = new Integer[n];
        String[] type = new String[n];
        String[] target = new String[n];
        for (int i = 0; i < n; i++) {
            NewAction a = actions.get(i);
            id[i] = a.id();
            event[i] = a.eventId();
            seq[i] = a.planned().seq();
            type[i] = WireEnum.wireName(a.planned().type());
            target[i] = a.planned().target();
        }
        return conn.preparedQuery("""
                        INSERT INTO healing.repair_action (id, event_id, seq, type, target, status)
                        SELECT u.*, $6::text FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[])
                            AS u(id, event_id, seq, type, target)""")
                .execute(Tuple.tuple().addValue(id).addValue(event).addValue(seq).addValue(type).addValue(target)
                        .addValue(WireEnum.wireName(status)))
                .replaceWithVoid();
    }
}
