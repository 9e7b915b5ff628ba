package io.mythos.daemon.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mythos.common.daemon.RecoveryRecord;
import io.mythos.common.daemon.RecoveryRecord.DetectedFailure;
import io.mythos.common.daemon.RecoveryRecord.ResyncAttempt;
import io.mythos.platform.json.JsonText;
import io.mythos.platform.sql.Columns;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Recovery records (multi-row inserts, newest-first pages). */
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

    private final JsonText json;

    public RecoveryEventRepository(JsonText json) {
        this.json = json;
    }

    public Uni<Void> insert(SqlClient db, List<RecoveryRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery(INSERT)
                .execute(Columns.of(records)
                        .uuid(RecoveryRecord::id)
                        .text(RecoveryRecord::networkZone)
                        .text(r -> json.write(r.detectedFailure()))
                        .text(r -> json.write(r.memoryResyncAttempts()))
                        .text(r -> json.write(r.codexRealignmentVector()))
                        .text(RecoveryRecord::assistantReflectionScripts)
                        .float8(RecoveryRecord::recoveryScore)
                        .timestamptz(RecoveryRecord::createdAt)
                        .tuple())
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
