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

    /**
     * A page stops early once the records before it hold {@code $budget} bytes of stored text (a record of a
     * large zone can be megabytes; 500 of them outgrew the heap); the first record is always answered.
     * {@code rows} is the page's query with a {@code size} column; the outer query keeps its order.
     */
    private static String withinBudget(String rows, int budgetParam) {
        return "SELECT * FROM (SELECT p.*, sum(p.size) OVER (ORDER BY p.created_at DESC, p.id) - p.size AS before FROM ("
                + rows + ") p) q WHERE q.before < $" + budgetParam + " ORDER BY q.created_at DESC, q.id";
    }

    private static final String SIZE = ", octet_length(memory_resync_attempts::text) + octet_length(codex_realignment_vector::text)"
            + " + octet_length(assistant_reflection_scripts) AS size";

    private static final String RECENT = withinBudget("SELECT " + COLUMNS + SIZE
            + " FROM recovery.recovery_event ORDER BY created_at DESC, id LIMIT $1", 2);

    private static final String PAGE = withinBudget("SELECT " + COLUMNS + SIZE
            + " FROM recovery.recovery_event WHERE network_zone = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3", 4);

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

    /** The newest records, at most {@code limit} and as many as fit in {@code budgetBytes} (at least one). */
    public Uni<List<RecoveryRecord>> recent(SqlClient db, int limit, long budgetBytes) {
        return db.preparedQuery(RECENT).execute(Tuple.of(limit, budgetBytes)).map(this::records);
    }

    /** A page of a zone's records, newest first: at most {@code limit}, and as many as fit in {@code budgetBytes} (at least one). */
    public Uni<List<RecoveryRecord>> page(SqlClient db, String zone, int limit, int offset, long budgetBytes) {
        return db.preparedQuery(PAGE).execute(Tuple.of(zone, limit, offset, budgetBytes)).map(this::records);
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
