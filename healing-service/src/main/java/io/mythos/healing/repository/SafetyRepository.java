package io.mythos.healing.repository;

import io.mythos.common.healing.SignalKind;
import io.mythos.healing.engine.ActiveSilence;
import io.mythos.healing.engine.FiringGroup;
import io.mythos.healing.engine.StormGuard;
import io.mythos.platform.sql.Columns;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The remediation-safety statements of the signal ingestion transaction (DESIGN.md "Remediation
 * safety"): verification's recurrences, the flapping guard's counts, the silences in force, and the
 * storm guard's figures and decision. Each runs under the locks the transaction holds: the groups'
 * event locks (EventRepository.EVENT_LOCK_KEY) and, for the storm guard, the assistant groups' locks.
 */
@ApplicationScoped
public class SafetyRepository {

    /** The per-assistant-group lock that the storm decision and every release of held actions take. */
    public static final String STORM_LOCK_KEY = "hashtext('healing.storm:' || grp)::bigint";

    /**
     * Ends the silenced events of these (node, trigger) whose silence has ended, so that the firing
     * opens the next event (and its repair) instead of counting on them.
     */
    public Uni<Void> endExpiredSilenced(SqlConnection conn, List<FiringGroup> groups) {
        return conn.preparedQuery("""
                        UPDATE healing.healing_event e SET resolved_at = least(e.silenced_until, now())
                        FROM unnest($1::text[], $2::text[]) AS g(node_id, triggered_by)
                        WHERE e.node_id = g.node_id AND e.triggered_by = g.triggered_by AND e.status = 'silenced'
                          AND e.resolved_at IS NULL AND (e.silenced_until IS NULL OR e.silenced_until <= now())""")
                .execute(Columns.of(groups).text(FiringGroup::nodeId).text(g -> WireEnum.wireName(g.trigger())).tuple())
                .replaceWithVoid();
    }

    /**
     * Verification: a firing of a (node, trigger) without an open event, observed after the latest resolved
     * event of that node and trigger and within its verification window, makes that event ineffective and
     * counts the recurrence on it.
     */
    public Uni<Void> markRecurrences(SqlConnection conn, List<FiringGroup> groups) {
        return conn.preparedQuery("""
                        UPDATE healing.healing_event e SET effective = false, recurrences = e.recurrences + 1
                        FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS g(node_id, triggered_by, last_observed)
                        WHERE NOT EXISTS (SELECT 1 FROM healing.healing_event a
                                          WHERE a.node_id = g.node_id AND a.triggered_by = g.triggered_by
                                            AND a.resolved_at IS NULL)
                          AND e.id = (SELECT r.id FROM healing.healing_event r
                                      WHERE r.node_id = g.node_id AND r.triggered_by = g.triggered_by
                                        AND r.status = 'resolved' AND r.resolved_at IS NOT NULL
                                      ORDER BY r.resolved_at DESC LIMIT 1)
                          AND e.verify_until IS NOT NULL AND e.verify_until >= g.last_observed
                          AND e.resolved_at <= g.last_observed AND e.effective IS NOT TRUE""")
                .execute(Columns.of(groups).text(FiringGroup::nodeId).text(g -> WireEnum.wireName(g.trigger()))
                        .timestamptz(FiringGroup::lastObservedAt).tuple())
                .replaceWithVoid();
    }

    /**
     * The flapping guard's count, by group ord: the ineffective repairs of the group's node and trigger
     * that ended within {@code window}, after the last event of that node and trigger an operator resolved.
     */
    public Uni<Map<Integer, Long>> ineffectiveCounts(SqlConnection conn, List<FiringGroup> groups, Duration window) {
        return conn.preparedQuery("""
                        SELECT g.ord, (SELECT count(*) FROM healing.healing_event r
                                       WHERE r.node_id = g.node_id AND r.triggered_by = g.triggered_by
                                         AND r.effective = false
                                         AND r.resolved_at >= now() - make_interval(secs => $4::float8)
                                         AND r.resolved_at > coalesce(
                                             (SELECT max(x.resolved_at) FROM healing.healing_event x
                                              WHERE x.node_id = g.node_id AND x.triggered_by = g.triggered_by
                                                AND x.resolved_by IS NOT NULL), '-infinity'::timestamptz))
                        FROM unnest($1::int[], $2::text[], $3::text[]) AS g(ord, node_id, triggered_by)""")
                .execute(Columns.of(groups).int4(FiringGroup::ord).text(FiringGroup::nodeId)
                        .text(g -> WireEnum.wireName(g.trigger())).param((double) window.toMillis() / 1000).tuple())
                .map(rows -> {
                    Map<Integer, Long> counts = new HashMap<>();
                    for (Row r : rows) {
                        counts.put(r.getInteger(0), r.getLong(1));
                    }
                    return counts;
                });
    }

    /** The silences in force now. */
    public Uni<List<ActiveSilence>> activeSilences(SqlConnection conn) {
        return conn.query("""
                        SELECT id, node_id, assistant_id, assistant_group, triggered_by, ends_at FROM healing.silence
                        WHERE starts_at <= now() AND ends_at > now()""").execute()
                .map(rows -> {
                    List<ActiveSilence> silences = new ArrayList<>();
                    for (Row r : rows) {
                        String trigger = r.getString(4);
                        silences.add(new ActiveSilence(r.getUUID(0), r.getString(1), r.getString(2), r.getString(3),
                                trigger == null ? null : WireEnum.parse(SignalKind.class, trigger, "triggered_by"),
                                r.getOffsetDateTime(5)));
                    }
                    return silences;
                });
    }

    /** What the storm guard knows of one group: its figures and whether it is in a storm. */
    public record GroupState(String group, StormGuard.Figures figures, boolean inStorm) {
    }

    /** Takes the storm locks of these groups, sorted (one order for every transaction), for the rest of the transaction. */
    public Uni<Void> lockGroups(SqlConnection conn, TreeSet<String> groups) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT " + STORM_LOCK_KEY
                        + " AS k FROM unnest($1::text[]) AS u(grp)) s ORDER BY k")
                .execute(Columns.of(List.copyOf(groups)).text(g -> g).tuple()).replaceWithVoid();
    }

    /** The statement of {@link #groupStates} (its plan is tested: {@code assistant_group} is indexed). */
    static final String GROUP_STATES = """
            SELECT u.grp,
                   (SELECT count(*) FROM healing.assistant a WHERE a.assistant_group = u.grp),
                   (SELECT count(DISTINCT e.assistant_id) FROM healing.healing_event e
                      JOIN healing.assistant a ON a.assistant_id = e.assistant_id
                     WHERE a.assistant_group = u.grp AND e.status = 'active' AND e.resolved_at IS NULL
                       AND e.last_fired_at >= now() - make_interval(secs => $2::float8)),
                   EXISTS (SELECT 1 FROM healing.storm s WHERE s.assistant_group = u.grp)
            FROM unnest($1::text[]) AS u(grp)""";

    /**
     * Each group's figures: its registered assistants, those with an active event whose node fired within
     * {@code window}, and whether it is in a storm. Read under the groups' storm locks.
     */
    public Uni<List<GroupState>> groupStates(SqlConnection conn, List<String> groups, Duration window) {
        return conn.preparedQuery(GROUP_STATES)
                .execute(Columns.of(groups).text(g -> g).param((double) window.toMillis() / 1000).tuple())
                .map(rows -> {
                    List<GroupState> states = new ArrayList<>();
                    for (Row r : rows) {
                        states.add(new GroupState(r.getString(0), new StormGuard.Figures(r.getLong(2), r.getLong(1)), r.getBoolean(3)));
                    }
                    return states;
                });
    }

    /** Records that a group is in a storm: one row per group, whoever decides it first (under the group's lock). */
    public Uni<Void> startStorm(SqlConnection conn, String group, double fraction) {
        return conn.preparedQuery("""
                        INSERT INTO healing.storm (assistant_group, fraction) VALUES ($1, $2)
                        ON CONFLICT (assistant_group) DO NOTHING""")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(group, fraction)).replaceWithVoid();
    }
}
