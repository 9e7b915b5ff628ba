package io.mythos.daemon.repository;

import io.mythos.common.daemon.PathPoint;
import io.mythos.common.daemon.ZoneStatus;
import io.mythos.platform.sql.Columns;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Zones, their counters and their belief path (divergence after each cycle). */
@ApplicationScoped
public class ZoneRepository {

    /** A zone row as a recovery reads it (under its advisory lock). */
    public record ZoneRow(String zone, ZoneStatus status, int cycles, int cyclesWithoutFall, boolean stallReported,
                          long reportedSeq, Double lastPathDivergence) {
    }

    /** What a recovery (or a check) writes back to a zone. */
    public record ZoneUpdate(String zone, ZoneStatus status, double divergence, int cycles, Double recoveryScore,
                             int cyclesWithoutFall, boolean stallReported, long checkedSeq) {
    }

    /** A zone with its replica counts, for the GET routes. */
    public record ZoneCounts(String zone, ZoneStatus status, double divergence, int cycles, Double lastRecoveryScore,
                             int replicas, int staleReplicas) {
    }

    /** A zone's status and divergence at its last check. */
    public record ZoneLevel(String zone, ZoneStatus status, double divergence) {
    }

    /** One point of a path, with its zone. */
    public record ZonePoint(String zone, int cycle, OffsetDateTime at, double divergence) {
    }

    private static final String ENSURE = "INSERT INTO recovery.zone (zone) VALUES ($1) ON CONFLICT (zone) DO NOTHING";

    private static final String AFTER_REPORT = """
            UPDATE recovery.zone SET divergence = $2, status = $3, reported_seq = reported_seq + 1, updated_at = now()
             WHERE zone = $1""";

    // The zones to check (or the one asked for), each locked for this transaction with a try-lock, so a
    // second daemon skips a zone being recovered instead of waiting for it. MATERIALIZED keeps the lock
    // call from being evaluated on rows the filter would drop.
    private static final String LOCK = """
            WITH c AS MATERIALIZED (
                SELECT * FROM recovery.zone
                 WHERE ($1::text IS NULL AND (status <> 'converged' OR reported_seq <> checked_seq)) OR zone = $1)
            SELECT zone, status, cycles, cycles_without_fall, stall_reported, reported_seq,
                   (SELECT p.divergence FROM recovery.zone_path p WHERE p.zone = c.zone
                     ORDER BY p.cycle DESC LIMIT 1) AS last_path
              FROM c WHERE pg_try_advisory_xact_lock(hashtext('recovery.zone:' || zone))
             ORDER BY zone""";

    private static final String UPDATE = """
            UPDATE recovery.zone z
               SET status = u.status, divergence = u.divergence, cycles = u.cycles,
                   last_recovery_score = coalesce(u.score, z.last_recovery_score),
                   cycles_without_fall = u.cwf, stall_reported = u.stall_reported, checked_seq = u.checked_seq,
                   updated_at = now()
              FROM unnest($1::text[], $2::text[], $3::float8[], $4::int4[], $5::float8[], $6::int4[], $7::bool[],
                          $8::int8[]) AS u(zone, status, divergence, cycles, score, cwf, stall_reported, checked_seq)
             WHERE z.zone = u.zone""";

    private static final String INSERT_PATH = """
            INSERT INTO recovery.zone_path (zone, cycle, at, divergence)
            SELECT * FROM unnest($1::text[], $2::int4[], $3::timestamptz[], $4::float8[])""";

    private static final String COUNTS = """
            SELECT z.zone, z.status, z.divergence, z.cycles, z.last_recovery_score,
                   count(r.assistant_id)::int AS replicas,
                   (count(r.assistant_id) FILTER (WHERE r.reported_at < now() - make_interval(secs => $2)))::int AS stale
              FROM recovery.zone z LEFT JOIN recovery.replica r ON r.zone = z.zone
             WHERE $1::text IS NULL OR z.zone = $1
             GROUP BY z.zone ORDER BY z.zone""";

    // One index range per zone (primary key zone, cycle), however long the paths have grown.
    private static final String LAST_POINTS = """
            SELECT z.zone, p.cycle, p.at, p.divergence
              FROM recovery.zone z
             CROSS JOIN LATERAL (SELECT cycle, at, divergence FROM recovery.zone_path q
                                  WHERE q.zone = z.zone ORDER BY q.cycle DESC LIMIT $1) p
             ORDER BY z.zone, p.cycle""";

    private static final String STATUSES = "SELECT zone, status, divergence FROM recovery.zone";

    private static final String PATH = "SELECT at, divergence FROM recovery.zone_path WHERE zone = $1 ORDER BY cycle";

    public Uni<Void> ensure(SqlClient db, String zone) {
        return db.preparedQuery(ENSURE).execute(Tuple.of(zone)).replaceWithVoid();
    }

    /**
     * Serialises the reports of one zone until this transaction ends, so that the per-zone caps hold: two
     * reports of new replicas can no longer each pass the check without seeing the other. Only reports take
     * this lock, and first in their transaction (before any row lock), on a key apart from the recoveries'
     * ({@link #lockForRecovery}): a report holding it may wait for rows a recovery holds, but a recovery
     * never waits for it, so the two cannot deadlock. The wait is bounded by lock_timeout (a 503).
     */
    public Uni<Void> lockReports(SqlClient db, String zone) {
        return db.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('recovery.zone-reports:' || $1))")
                .execute(Tuple.of(zone)).replaceWithVoid();
    }

    /** Read without a lock: a report only needs it to name the status (the next cycle re-checks anyway). */
    public Uni<Integer> cyclesWithoutFall(SqlClient db, String zone) {
        return db.preparedQuery("SELECT cycles_without_fall FROM recovery.zone WHERE zone = $1").execute(Tuple.of(zone))
                .map(rows -> rows.iterator().next().getInteger("cycles_without_fall"));
    }

    public Uni<Void> afterReport(SqlClient db, String zone, double divergence, ZoneStatus status) {
        return db.preparedQuery(AFTER_REPORT).execute(Tuple.of(zone, divergence, WireEnum.wireName(status)))
                .replaceWithVoid();
    }

    /**
     * Waits, up to {@code timeout}, for the zone's lock and keeps it for the transaction; the try-lock
     * of {@link #lockForRecovery} then succeeds at once (advisory locks are re-entrant). Failing with
     * SQLSTATE 55P03 when the timeout passes.
     */
    public Uni<Void> awaitLock(SqlClient db, String zone, Duration timeout) {
        // one statement: the subquery sets the bound (for the rest of the transaction) before the lock waits
        return db.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('recovery.zone:' || $1))"
                        + " FROM (SELECT set_config('lock_timeout', $2, true)) bound")
                .execute(Tuple.of(zone, Math.max(1, timeout.toMillis()) + "ms"))
                .replaceWithVoid();
    }

    /** Locks and reads the zones to recover: {@code zone} alone, or (null) every zone that needs a check. */
    public Uni<List<ZoneRow>> lockForRecovery(SqlClient db, String zone) {
        return db.preparedQuery(LOCK).execute(Tuple.of(zone)).map(rows -> {
            List<ZoneRow> out = new ArrayList<>(rows.rowCount());
            for (Row row : rows) {
                out.add(new ZoneRow(row.getString("zone"), status(row), row.getInteger("cycles"),
                        row.getInteger("cycles_without_fall"), row.getBoolean("stall_reported"),
                        row.getLong("reported_seq"), row.getDouble("last_path")));
            }
            return out;
        });
    }

    public Uni<Void> update(SqlClient db, List<ZoneUpdate> updates) {
        if (updates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery(UPDATE)
                .execute(Columns.of(updates)
                        .text(ZoneUpdate::zone)
                        .text(u -> WireEnum.wireName(u.status()))
                        .float8(ZoneUpdate::divergence)
                        .int4(ZoneUpdate::cycles)
                        .float8(ZoneUpdate::recoveryScore)
                        .int4(ZoneUpdate::cyclesWithoutFall)
                        .bool(ZoneUpdate::stallReported)
                        .int8(ZoneUpdate::checkedSeq)
                        .tuple())
                .replaceWithVoid();
    }

    public Uni<Void> insertPath(SqlClient db, List<ZonePoint> points) {
        if (points.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery(INSERT_PATH)
                .execute(Columns.of(points)
                        .text(ZonePoint::zone)
                        .int4(ZonePoint::cycle)
                        .timestamptz(ZonePoint::at)
                        .float8(ZonePoint::divergence)
                        .tuple())
                .replaceWithVoid();
    }

    /** Every zone (zone null) or one, with replica counts; a replica is stale after {@code staleAfter}. */
    public Uni<List<ZoneCounts>> counts(SqlClient db, String zone, Duration staleAfter) {
        return db.preparedQuery(COUNTS).execute(Tuple.of(zone, staleAfter.toMillis() / 1000.0)).map(rows -> {
            List<ZoneCounts> out = new ArrayList<>(rows.rowCount());
            for (Row row : rows) {
                out.add(new ZoneCounts(row.getString("zone"), status(row), row.getDouble("divergence"),
                        row.getInteger("cycles"), row.getDouble("last_recovery_score"), row.getInteger("replicas"),
                        row.getInteger("stale")));
            }
            return out;
        });
    }

    /** Every zone's status and divergence (for the gauges). */
    public Uni<List<ZoneLevel>> statuses(SqlClient db) {
        return db.query(STATUSES).execute().map(rows -> {
            List<ZoneLevel> out = new ArrayList<>(rows.rowCount());
            for (Row row : rows) {
                out.add(new ZoneLevel(row.getString("zone"), status(row), row.getDouble("divergence")));
            }
            return out;
        });
    }

    /** The last {@code n} points of every zone's path, oldest first. */
    public Uni<Map<String, List<PathPoint>>> lastPoints(SqlClient db, int n) {
        return db.preparedQuery(LAST_POINTS).execute(Tuple.of(n)).map(rows -> {
            Map<String, List<PathPoint>> out = new LinkedHashMap<>();
            for (Row row : rows) {
                out.computeIfAbsent(row.getString("zone"), z -> new ArrayList<>())
                        .add(new PathPoint(row.getOffsetDateTime("at"), row.getDouble("divergence")));
            }
            return out;
        });
    }

    public Uni<List<PathPoint>> path(SqlClient db, String zone) {
        return db.preparedQuery(PATH).execute(Tuple.of(zone)).map(rows -> {
            List<PathPoint> out = new ArrayList<>(rows.rowCount());
            for (Row row : rows) {
                out.add(new PathPoint(row.getOffsetDateTime("at"), row.getDouble("divergence")));
            }
            return out;
        });
    }

    private static ZoneStatus status(Row row) {
        return WireEnum.parse(ZoneStatus.class, row.getString("status"), "status");
    }
}
