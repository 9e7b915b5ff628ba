package io.mythos.daemon.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mythos.common.daemon.RecoveryRecord;
import io.mythos.common.daemon.RecoveryRecord.DetectedFailure;
import io.mythos.common.daemon.RecoveryRecord.ResyncAttempt;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Recovery records (multi-row inserts, newest-first pages) and the recover route's idempotency keys. */
@ApplicationScoped
public class RecoveryEventRepository {

    private static final TypeReference<List<ResyncAttempt>> ATTEMPTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Map<String, Double>>> VECTORS = new TypeReference<>() {
    };

    private static final String COLUMNS = """
            id, network_zone, detected_failure::text AS detected_failure,
            memory_resync_attempts::text AS memory_resync_attempts,
            codex_realignment_vector::text AS codex_realignment_vector,
            assistant_reflection_scripts, recovery_score, created_at""";

    private static final String INSERT = """
            INSERT INTO recovery.recovery_event (id, network_zone, detected_failure, memory_resync_attempts,
                   codex_realignment_vector, assistant_reflection_scripts, recovery_score, created_at)
            SELECT u.id, u.zone, u.df::json, u.ma::json, u.cv::json, u.scripts, u.score, u.at
              FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[],
                          $8::timestamptz[]) AS u(id, zone, df, ma, cv, scripts, score, at)""";

    private static final String RECENT = "SELECT " + COLUMNS
            + " FROM recovery.recovery_event ORDER BY created_at DESC, id LIMIT $1";

    private static final String PAGE = "SELECT " + COLUMNS
            + " FROM recovery.recovery_event WHERE network_zone = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3";

    private static final String COUNT = "SELECT count(*) AS n FROM recovery.recovery_event WHERE network_zone = $1";

    private static final String CLAIM_KEY = """
            INSERT INTO recovery.recover_request (idempotency_key, zone) VALUES ($1, $2)
            ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key""";

    private static final String STORED = "SELECT zone, response FROM recovery.recover_request"
            + " WHERE idempotency_key = $1";

    private static final String ANSWER = "UPDATE recovery.recover_request SET response = $2"
            + " WHERE idempotency_key = $1";

    /** The first answer given to an idempotency key. */
    public record StoredAnswer(String zone, String response) {
    }

    private final Json json;

    public RecoveryEventRepository(Json json) {
        this.json = json;
    }

    public Uni<Void> insert(SqlClient db, List<RecoveryRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = records.size();
        UUID[] ids = new UUID[n];
        String[] zones = new String[n];
        String[] failures = new String[n];
        String[] attempts = new String[n];
        String[] vectors = new String[n];
        String[] scripts = new String[n];
        Double[] scores = new Double[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            RecoveryRecord r = records.get(i);
            ids[i] = r.id();
            zones[i] = r.networkZone();
            failures[i] = json.write(r.detectedFailure());
            attempts[i] = json.write(r.memoryResyncAttempts());
            vectors[i] = json.write(r.codexRealignmentVector());
            scripts[i] = r.assistantReflectionScripts();
            scores[i] = r.recoveryScore();
            at[i] = r.createdAt();
        }
        return db.preparedQuery(INSERT)
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(zones).addArrayOfString(failures)
                        .addArrayOfString(attempts).addArrayOfString(vectors).addArrayOfString(scripts)
                        .addArrayOfDouble(scores).addArrayOfOffsetDateTime(at))
                .replaceWithVoid();
    }

    public Uni<List<RecoveryRecord>> recent(SqlClient db, int limit) {
        return db.preparedQuery(RECENT).execute(Tuple.of(limit)).map(this::records);
    }

    public Uni<List<RecoveryRecord>> page(SqlClient db, String zone, int limit, int offset) {
        return db.preparedQuery(PAGE).execute(Tuple.of(zone, limit, offset)).map(this::records);
    }

    public Uni<Long> count(SqlClient db, String zone) {
        return db.preparedQuery(COUNT).execute(Tuple.of(zone)).map(rows -> rows.iterator().next().getLong("n"));
    }

    /** True when this transaction owns the key; false when it was used before (the first use has committed). */
    public Uni<Boolean> claimKey(SqlClient db, String key, String zone) {
        return db.preparedQuery(CLAIM_KEY).execute(Tuple.of(key, zone)).map(rows -> rows.rowCount() == 1);
    }

    public Uni<StoredAnswer> stored(SqlClient db, String key) {
        return db.preparedQuery(STORED).execute(Tuple.of(key)).map(rows -> {
            Row row = rows.iterator().next();
            return new StoredAnswer(row.getString("zone"), row.getString("response"));
        });
    }

    public Uni<Void> answer(SqlClient db, String key, String response) {
        return db.preparedQuery(ANSWER).execute(Tuple.of(key, response)).replaceWithVoid();
    }

    private List<RecoveryRecord> records(RowSet<Row> rows) {
        List<RecoveryRecord> out = new ArrayList<>(rows.rowCount());
        for (Row row : rows) {
            out.add(new RecoveryRecord(row.getUUID("id"), row.getString("network_zone"),
                    json.read(row.getString("detected_failure"), DetectedFailure.class),
                    json.read(row.getString("memory_resync_attempts"), ATTEMPTS),
                    json.read(row.getString("codex_realignment_vector"), VECTORS),
                    row.getString("assistant_reflection_scripts"), row.getDouble("recovery_score"),
                    row.getOffsetDateTime("created_at")));
        }
        return out;
    }
}
