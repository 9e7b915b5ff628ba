package io.mythos.daemon.repository;

import io.mythos.daemon.belief.BeliefTable;
import io.mythos.daemon.belief.Replica;
import io.mythos.daemon.config.DaemonConfig;
import io.mythos.platform.json.JsonText;
import io.mythos.platform.sql.Columns;
import io.mythos.platform.reactive.Offload;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Replicas of belief zones, in raw SQL: the cycle reads and writes them in batches. */
@ApplicationScoped
public class ReplicaRepository {

    /** A replica as stored, with whether it is fresh (reported within stale_after). */
    public record StoredReplica(String zone, Replica replica, OffsetDateTime reportedAt, boolean fresh) {
    }

    /** A replica as stored, without its beliefs (they are in its zone's {@link StoredZone#beliefs()} table). */
    public record ReplicaMeta(String assistantId, long version, OffsetDateTime reportedAt, boolean fresh) {
    }

    /**
     * One zone's replicas by assistant id, and their beliefs as one table (same order; the stale replicas
     * count for the zone's size, not for its consensus).
     */
    public record StoredZone(List<ReplicaMeta> replicas, BeliefTable beliefs) {
    }

    /** A resync to apply: the replica's new beliefs, if it is still at the version read. */
    public record Resync(String zone, String assistantId, long readVersion, Map<String, Double> beliefs) {
    }

    private static final String UPSERT = """
            INSERT INTO recovery.replica (zone, assistant_id, beliefs) VALUES ($1, $2, $3)
            ON CONFLICT (zone, assistant_id) DO UPDATE
               SET beliefs = EXCLUDED.beliefs, version = replica.version + 1, reported_at = now()
            RETURNING version""";

    private static final String OF_ZONES = """
            SELECT zone, assistant_id, version, beliefs::text AS beliefs, reported_at,
                   reported_at >= now() - make_interval(secs => $2) AS fresh
              FROM recovery.replica WHERE zone = ANY($1) ORDER BY zone, assistant_id""";

    // One zone's replicas, with the text of those not among the (assistant, version, reported_at, xmin) given.
    private static final String OF_ZONE_CHANGED = """
            SELECT r.assistant_id, r.version, r.reported_at, r.xmin::text::int8 AS xmin,
                   r.reported_at >= now() - make_interval(secs => $2) AS fresh,
                   CASE WHEN k.assistant_id IS NULL THEN r.beliefs::text END AS beliefs
              FROM recovery.replica r
              LEFT JOIN unnest($3::text[], $4::int8[], $5::timestamptz[], $6::int8[])
                        AS k(assistant_id, version, reported_at, xmin)
                ON k.assistant_id = r.assistant_id AND k.version = r.version AND k.reported_at = r.reported_at
               AND k.xmin = r.xmin::text::int8
             WHERE r.zone = $1 ORDER BY r.assistant_id""";

    // The version check makes a resync lose against any report (or resync) committed since the read.
    private static final String RESYNC = """
            UPDATE recovery.replica r SET beliefs = u.beliefs::json, version = r.version + 1
              FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[]) AS u(zone, assistant_id, version, beliefs)
             WHERE r.zone = u.zone AND r.assistant_id = u.assistant_id AND r.version = u.version
            RETURNING r.zone, r.assistant_id""";

    private final JsonText json;
    private final ParsedZones parsed;

    public ReplicaRepository(JsonText json, DaemonConfig config) {
        this.json = json;
        this.parsed = new ParsedZones(config.parsedValues());
    }

    public Uni<Long> upsert(SqlClient db, String zone, String assistantId, Map<String, Double> beliefs) {
        return db.preparedQuery(UPSERT).execute(Tuple.of(zone, assistantId, new JsonObject(Map.copyOf(beliefs))))
                .map(rows -> rows.iterator().next().getLong("version"));
    }

    public Uni<List<StoredReplica>> ofZones(SqlClient db, List<String> zones, Duration staleAfter) {
        return ofZones(db, zones, staleAfter, Long.MAX_VALUE);
    }

    /**
     * The zones' replicas; when their belief texts add up to {@code offloadChars} characters or more, they
     * are parsed on a worker thread (Offload), not on the event loop.
     */
    public Uni<List<StoredReplica>> ofZones(SqlClient db, List<String> zones, Duration staleAfter, long offloadChars) {
        return db.preparedQuery(OF_ZONES)
                .execute(Tuple.of(zones.toArray(String[]::new), staleAfter.toMillis() / 1000.0))
                .chain(rows -> {
                    List<Row> all = new ArrayList<>(rows.rowCount());
                    long chars = 0;
                    for (Row row : rows) {
                        all.add(row);
                        chars += row.getString("beliefs").length();
                    }
                    return Offload.ifLarge(chars, offloadChars, () -> {
                        List<StoredReplica> out = new ArrayList<>(all.size());
                        for (Row row : all) {
                            Replica r = new Replica(row.getString("assistant_id"), row.getLong("version"),
                                    BeliefMapText.read(row.getString("beliefs")));
                            out.add(new StoredReplica(row.getString("zone"), r, row.getOffsetDateTime("reported_at"),
                                    row.getBoolean("fresh")));
                        }
                        return out;
                    });
                });
    }

    /**
     * One zone's replicas as a {@link BeliefTable} (no map per replica): what a report and a zone read need.
     * Only the replicas whose row changed since this instance last parsed them are sent and parsed
     * ({@link ParsedZones}); the parse and the table's build run on a worker thread when the texts sent add up
     * to {@code offloadChars} or more, or the zone holds as many values.
     */
    public Uni<StoredZone> zone(SqlClient db, String zone, Duration staleAfter, long offloadChars) {
        ParsedZones.Zone entry = parsed.zone(zone);
        Map<String, ParsedZones.Parsed> known = entry.snapshot();
        List<Map.Entry<String, ParsedZones.Parsed>> tokens = new ArrayList<>(known.entrySet());
        Tuple params = Columns.of(tokens).param(zone).param(staleAfter.toMillis() / 1000.0)
                .text(Map.Entry::getKey).int8(e -> e.getValue().version())
                .timestamptz(e -> e.getValue().reportedAt()).int8(e -> e.getValue().xmin()).tuple();
        return db.preparedQuery(OF_ZONE_CHANGED).execute(params).chain(rows -> {
            List<ParsedZones.Read> reads = new ArrayList<>(rows.rowCount());
            long chars = 0;
            for (Row row : rows) {
                String text = row.getString("beliefs");
                chars += text == null ? 0 : text.length();
                reads.add(new ParsedZones.Read(new ReplicaMeta(row.getString("assistant_id"), row.getLong("version"),
                        row.getOffsetDateTime("reported_at"), row.getBoolean("fresh")), row.getLong("xmin"), text));
            }
            long work = Math.max(chars, 16 * entry.values());
            return Offload.ifLarge(work, offloadChars, () -> {
                StoredZone stored = entry.update(reads, known);
                parsed.updated(zone, entry, stored.beliefs().beliefCount());
                return stored;
            });
        });
    }

    /** Applies the resyncs whose version still matches; answers the (zone, assistant) keys applied. */
    public Uni<Set<String>> resync(SqlClient db, List<Resync> resyncs) {
        if (resyncs.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return db.preparedQuery(RESYNC)
                .execute(Columns.of(resyncs).text(Resync::zone).text(Resync::assistantId).int8(Resync::readVersion)
                        .text(r -> json.write(r.beliefs())).tuple())
                .map(rows -> {
                    Set<String> applied = new HashSet<>();
                    for (Row row : rows) {
                        applied.add(key(row.getString("zone"), row.getString("assistant_id")));
                    }
                    return applied;
                });
    }

    public static String key(String zone, String assistantId) {
        return zone + '\u0000' + assistantId;
    }
}
