package io.mythos.loadbalancer.repository;

import io.mythos.common.load.LoadMapView.HotCodex;
import io.mythos.common.load.PressureRequest;
import io.mythos.common.load.RebalancePlan.CodexMove;
import io.mythos.common.load.RitualPriority;
import io.mythos.loadbalancer.planner.LoadMap;
import io.mythos.platform.sql.Columns;
import io.mythos.platform.web.ProblemException;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The load map tables, through the reactive client: multi-row upserts with {@code unnest}, and the
 * reads the planner and the live map need. Every write to the map takes the locks of the groups it touches
 * ({@link MapLocks}), so that a rebalance applies its moves to exactly the group it planned on while other
 * groups are rebalanced side by side.
 */
@ApplicationScoped
public class LoadMapRepository {

    private static final String UPSERT_ASSISTANTS = """
            INSERT INTO loadbalancer.lb_assistant (assistant_id, assistant_group, capacity, memory_entropy)
            SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::float8[], $4::float8[])
            ON CONFLICT (assistant_id) DO UPDATE
               SET assistant_group = EXCLUDED.assistant_group, capacity = EXCLUDED.capacity,
                   memory_entropy = EXCLUDED.memory_entropy, updated_at = now()""";
    private static final String UNKNOWN_ASSISTANTS = """
            SELECT DISTINCT x.id FROM unnest($1::varchar[]) AS x(id)
            WHERE NOT EXISTS (SELECT 1 FROM loadbalancer.lb_assistant a WHERE a.assistant_id = x.id)
            ORDER BY x.id LIMIT 10""";
    private static final String UPSERT_CODICES = """
            INSERT INTO loadbalancer.codex (codex_id, assistant_id, pressure, read_mostly)
            SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::float8[], $4::bool[])
            ON CONFLICT (codex_id) DO UPDATE
               SET assistant_id = EXCLUDED.assistant_id, pressure = EXCLUDED.pressure,
                   read_mostly = EXCLUDED.read_mostly, updated_at = now()""";
    private static final String UPSERT_RITUALS = """
            INSERT INTO loadbalancer.ritual (ritual_id, assistant_id, density, priority)
            SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::float8[], $4::varchar[])
            ON CONFLICT (ritual_id) DO UPDATE
               SET assistant_id = EXCLUDED.assistant_id, density = EXCLUDED.density,
                   priority = EXCLUDED.priority, deferred_until = NULL, updated_at = now()""";
    private static final String SCOPE = "($1::varchar IS NULL OR a.assistant_group = $1)";
    /** A ritual's density as the API contract (docs/API.md) counts it: 0 while a plan has it deferred, until it is due again. */
    private static final String EFFECTIVE_DENSITY = "CASE WHEN deferred_until > now() THEN 0 ELSE density END";
    private static final String AGGREGATES = """
            SELECT a.assistant_id, a.assistant_group, a.capacity, a.memory_entropy,
                   COALESCE(c.pressure, 0) AS pressure, COALESCE(c.n, 0) AS codices,
                   COALESCE(c.max_pressure, 0) AS max_pressure, COALESCE(r.density, 0) AS density
              FROM loadbalancer.lb_assistant a
              LEFT JOIN (SELECT assistant_id, sum(pressure) AS pressure, count(*) AS n, max(pressure) AS max_pressure
                           FROM loadbalancer.codex GROUP BY assistant_id) c USING (assistant_id)
              LEFT JOIN (SELECT assistant_id, sum(%s) AS density
                           FROM loadbalancer.ritual GROUP BY assistant_id) r USING (assistant_id)
             WHERE %s ORDER BY a.assistant_id""".formatted(EFFECTIVE_DENSITY, SCOPE);
    private static final String HOTTEST = """
            SELECT c.codex_id, c.assistant_id, c.pressure
              FROM loadbalancer.codex c JOIN loadbalancer.lb_assistant a USING (assistant_id)
             WHERE %s ORDER BY c.pressure DESC, c.codex_id LIMIT $2""".formatted(SCOPE);

    private static final String TOUCHED_GROUPS = """
            SELECT DISTINCT assistant_group FROM loadbalancer.lb_assistant
             WHERE assistant_id = ANY($1::varchar[])
                OR assistant_id IN (SELECT assistant_id FROM loadbalancer.codex WHERE codex_id = ANY($2::varchar[]))
                OR assistant_id IN (SELECT assistant_id FROM loadbalancer.ritual WHERE ritual_id = ANY($3::varchar[]))""";

    private final Pool pool;
    private final MapLocks locks;

    public LoadMapRepository(Pool pool, MapLocks locks) {
        this.pool = pool;
        this.locks = locks;
    }

    /**
     * A write of codices or rituals changed the group of one of them between reading the groups to lock and
     * locking them (another write moved it to another group meanwhile): the transaction is rolled back and
     * done again, which is safe.
     */
    public static final class GroupsMoved extends RuntimeException {
        GroupsMoved() {
            super("a codex or ritual changed group while its write waited for the group locks", null, false, false);
        }
    }

    /**
     * Locks what a write of these codices and rituals touches: the groups of the assistants it names and
     * of the assistants that own them now. Under the shared whole-map lock no assistant changes group, but a
     * concurrent write may move one of these codices to another group before its lock is taken: read again
     * once locked, and when a group was missed, fail with {@link GroupsMoved}.
     */
    private Uni<Void> lockTouchedGroups(SqlConnection conn, List<String> assistantIds, List<String> codexIds,
                                        List<String> ritualIds) {
        Tuple ids = Tuple.of(assistantIds.toArray(String[]::new), codexIds.toArray(String[]::new),
                ritualIds.toArray(String[]::new));
        return locks.wholeMapShared(conn).chain(() -> touchedGroups(conn, ids))
                .chain(groups -> locks.groupsOnly(conn, groups).chain(() -> touchedGroups(conn, ids)).invoke(again -> {
                    if (!MapLocks.keys(groups).containsAll(MapLocks.keys(again))) {
                        throw new GroupsMoved();
                    }
                })).replaceWithVoid();
    }

    private static Uni<List<String>> touchedGroups(SqlConnection conn, Tuple ids) {
        return conn.preparedQuery(TOUCHED_GROUPS).execute(ids).map(rows -> {
            List<String> groups = new ArrayList<>();
            rows.forEach(r -> groups.add(r.getString(0)));
            return groups;
        });
    }

    /**
     * Upserts in one transaction; a codex or ritual naming an assistant that is not in the map is a 422.
     * Posting assistants (which may change an assistant's group) locks the whole map; codices and rituals
     * alone lock only the groups they touch.
     */
    public Uni<Void> upsert(SqlConnection conn, PressureRequest req) {
        List<PressureRequest.AssistantLoad> assistants = orEmpty(req.assistants());
        List<PressureRequest.CodexLoad> codices = orEmpty(req.codices());
        List<PressureRequest.RitualLoad> rituals = orEmpty(req.rituals());
        List<String> owners = new ArrayList<>();
        codices.forEach(c -> owners.add(c.assistantId()));
        rituals.forEach(r -> owners.add(r.assistantId()));
        Uni<Void> chain = !assistants.isEmpty() ? locks.wholeMap(conn)
                : lockTouchedGroups(conn, owners, codices.stream().map(PressureRequest.CodexLoad::codexId).toList(),
                        rituals.stream().map(PressureRequest.RitualLoad::ritualId).toList());
        if (!assistants.isEmpty()) {
            Tuple columns = Columns.of(assistants).text(PressureRequest.AssistantLoad::assistantId)
                    .text(PressureRequest.AssistantLoad::group).float8(PressureRequest.AssistantLoad::capacity)
                    .float8(PressureRequest.AssistantLoad::memoryEntropy).tuple();
            chain = chain.chain(() -> conn.preparedQuery(UPSERT_ASSISTANTS).execute(columns)).replaceWithVoid();
        }
        if (!owners.isEmpty()) {
            Tuple columns = Columns.of(owners).text(id -> id).tuple();
            chain = chain.chain(() -> conn.preparedQuery(UNKNOWN_ASSISTANTS).execute(columns)
                    .invoke(rows -> {
                        if (rows.size() > 0) {
                            List<String> missing = new ArrayList<>();
                            rows.forEach(row -> missing.add(row.getString(0)));
                            throw ProblemException.unknownReference(
                                    "These assistants are not in the load map: " + String.join(", ", missing));
                        }
                    })).replaceWithVoid();
        }
        if (!codices.isEmpty()) {
            Tuple columns = Columns.of(codices).text(PressureRequest.CodexLoad::codexId)
                    .text(PressureRequest.CodexLoad::assistantId).float8(PressureRequest.CodexLoad::pressure)
                    .bool(c -> Boolean.TRUE.equals(c.readMostly())).tuple();
            chain = chain.chain(() -> conn.preparedQuery(UPSERT_CODICES).execute(columns)).replaceWithVoid();
        }
        if (!rituals.isEmpty()) {
            Tuple columns = Columns.of(rituals).text(PressureRequest.RitualLoad::ritualId)
                    .text(PressureRequest.RitualLoad::assistantId).float8(PressureRequest.RitualLoad::density)
                    .text(r -> WireEnum.wireName(r.priority())).tuple();
            chain = chain.chain(() -> conn.preparedQuery(UPSERT_RITUALS).execute(columns)).replaceWithVoid();
        }
        return chain;
    }

    /** Deletes an assistant that owns nothing: 404 when unknown, 409 while it owns codices or rituals. */
    public Uni<Void> deleteAssistant(SqlConnection conn, String id) {
        return locks.wholeMap(conn).chain(() -> conn.preparedQuery("""
                        SELECT (SELECT count(*) FROM loadbalancer.codex WHERE assistant_id = $1) AS codices,
                               (SELECT count(*) FROM loadbalancer.ritual WHERE assistant_id = $1) AS rituals,
                               EXISTS (SELECT 1 FROM loadbalancer.lb_assistant WHERE assistant_id = $1) AS present""")
                .execute(Tuple.of(id))).chain(rows -> {
                    Row row = rows.iterator().next();
                    if (!row.getBoolean("present")) {
                        throw ProblemException.notFound("No assistant " + id + " in the load map");
                    }
                    long codices = row.getLong("codices");
                    long rituals = row.getLong("rituals");
                    if (codices > 0 || rituals > 0) {
                        throw ProblemException.conflict("Assistant " + id + " still owns " + codices + " codices and "
                                + rituals + " rituals; move or delete them first");
                    }
                    return conn.preparedQuery("DELETE FROM loadbalancer.lb_assistant WHERE assistant_id = $1")
                            .execute(Tuple.of(id)).replaceWithVoid();
                });
    }

    public Uni<Void> deleteCodex(SqlConnection conn, String id) {
        return lockTouchedGroups(conn, List.of(), List.of(id), List.of())
                .chain(() -> deleteOwned(conn, "DELETE FROM loadbalancer.codex WHERE codex_id = $1", "codex", id));
    }

    public Uni<Void> deleteRitual(SqlConnection conn, String id) {
        return lockTouchedGroups(conn, List.of(), List.of(), List.of(id))
                .chain(() -> deleteOwned(conn, "DELETE FROM loadbalancer.ritual WHERE ritual_id = $1", "ritual", id));
    }

    /** Deletes a codex or a ritual by id (its group locked): 404 when unknown. */
    private Uni<Void> deleteOwned(SqlConnection conn, String delete, String what, String id) {
        return conn.preparedQuery(delete).execute(Tuple.of(id))
                .invoke(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ProblemException.notFound("No " + what + " " + id + " in the load map");
                    }
                }).replaceWithVoid();
    }

    /** The group of an assistant, or null when it is not in the map. */
    public Uni<String> groupOf(SqlClient client, String assistantId) {
        return client.preparedQuery("SELECT assistant_group FROM loadbalancer.lb_assistant WHERE assistant_id = $1")
                .execute(Tuple.of(assistantId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /**
     * The planner's input for one group, or for everything when {@code group} is null; ids in order. A
     * deferred ritual has density 0 until it is due, as in the live map, so that a plan's {@code before} is
     * the live map.
     */
    public Uni<LoadMap> read(SqlClient client, String group) {
        Tuple scope = Tuple.of(group);
        LoadMap.Builder b = LoadMap.builder();
        return client.preparedQuery("SELECT assistant_id, assistant_group, capacity, memory_entropy FROM loadbalancer.lb_assistant a WHERE "
                        + SCOPE + " ORDER BY assistant_id").execute(scope)
                .invoke(rows -> rows.forEach(r -> b.assistant(r.getString(0), r.getString(1), r.getDouble(2), r.getDouble(3))))
                .chain(() -> client.preparedQuery("""
                        SELECT c.codex_id, c.assistant_id, c.pressure, c.read_mostly
                          FROM loadbalancer.codex c JOIN loadbalancer.lb_assistant a USING (assistant_id)
                         WHERE %s ORDER BY c.codex_id""".formatted(SCOPE)).execute(scope))
                .invoke(rows -> rows.forEach(r -> b.codex(r.getString(0), r.getString(1), r.getDouble(2), r.getBoolean(3))))
                .chain(() -> client.preparedQuery("""
                        SELECT r.ritual_id, r.assistant_id, %s, r.priority
                          FROM loadbalancer.ritual r JOIN loadbalancer.lb_assistant a USING (assistant_id)
                         WHERE %s ORDER BY r.ritual_id""".formatted(EFFECTIVE_DENSITY, SCOPE)).execute(scope))
                .invoke(rows -> rows.forEach(r -> b.ritual(r.getString(0), r.getString(1), r.getDouble(2),
                        WireEnum.parse(RitualPriority.class, r.getString(3), "priority"))))
                .map(x -> b.build());
    }

    /** Per assistant: capacity, entropy, summed codex pressure, codex count, heaviest codex, ritual density. */
    public record AssistantAggregate(String assistantId, String group, double capacity, double memoryEntropy,
                                     double pressure, long codices, double maxPressure, double ritualDensity) {
    }

    public Uni<List<AssistantAggregate>> aggregates(String group) {
        return pool.preparedQuery(AGGREGATES).execute(Tuple.of(group)).map(rows -> {
            List<AssistantAggregate> out = new ArrayList<>(rows.size());
            rows.forEach(r -> out.add(new AssistantAggregate(r.getString("assistant_id"), r.getString("assistant_group"),
                    r.getDouble("capacity"), r.getDouble("memory_entropy"), r.getDouble("pressure"),
                    r.getLong("codices"), r.getDouble("max_pressure"), r.getDouble("density"))));
            return out;
        });
    }

    public Uni<List<HotCodex>> hottest(String group, int limit) {
        return pool.preparedQuery(HOTTEST).execute(Tuple.of(group, limit)).map(rows -> {
            List<HotCodex> out = new ArrayList<>();
            rows.forEach(r -> out.add(new HotCodex(r.getString(0), r.getString(1), r.getDouble(2))));
            return out;
        });
    }

    /** Gives each moved codex its new owner, in one statement. */
    public Uni<Void> moveCodices(SqlConnection conn, List<CodexMove> moves) {
        if (moves.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("""
                        UPDATE loadbalancer.codex c SET assistant_id = v.to_assistant, updated_at = now()
                          FROM unnest($1::varchar[], $2::varchar[]) AS v(codex_id, to_assistant)
                         WHERE c.codex_id = v.codex_id""")
                .execute(Columns.of(moves).text(CodexMove::codexId).text(CodexMove::toAssistant).tuple())
                .replaceWithVoid();
    }

    public Uni<Void> offloadRitual(SqlConnection conn, String ritualId, String to) {
        return conn.preparedQuery("UPDATE loadbalancer.ritual SET assistant_id = $2, updated_at = now() WHERE ritual_id = $1")
                .execute(Tuple.of(ritualId, to)).replaceWithVoid();
    }

    public Uni<Void> deferRitual(SqlConnection conn, String ritualId, int seconds) {
        return conn.preparedQuery("""
                        UPDATE loadbalancer.ritual SET deferred_until = now() + make_interval(secs => $2), updated_at = now()
                         WHERE ritual_id = $1""")
                .execute(Tuple.of(ritualId, seconds)).replaceWithVoid();
    }

    /** Clones a ritual: {@code share} of its density moves to a copy on {@code to} (added to an earlier clone). */
    public Uni<Void> cloneRitual(SqlConnection conn, String ritualId, String cloneId, String to, double share) {
        return conn.preparedQuery("""
                        WITH src AS (
                            UPDATE loadbalancer.ritual SET density = density * (1 - $4::float8), updated_at = now()
                             WHERE ritual_id = $1 RETURNING density / (1 - $4::float8) * $4::float8 AS moved, priority)
                        INSERT INTO loadbalancer.ritual (ritual_id, assistant_id, density, priority)
                        SELECT $2, $3, moved, priority FROM src
                        ON CONFLICT (ritual_id) DO UPDATE
                           SET density = loadbalancer.ritual.density + EXCLUDED.density, updated_at = now()""")
                .execute(Tuple.of(ritualId, cloneId, to, share)).replaceWithVoid();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
