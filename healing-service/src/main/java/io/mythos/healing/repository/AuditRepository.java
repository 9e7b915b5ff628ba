package io.mythos.healing.repository;

import io.mythos.common.healing.AuditEntry;
import io.mythos.platform.json.JsonText;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail of operator changes. Each change writes its entry in its own transaction (most in the
 * same statement), so that a change is never stored without its entry, nor an entry without its change.
 */
@ApplicationScoped
public class AuditRepository {

    private final Pool pool;
    private final JsonText json;

    public AuditRepository(Pool pool, JsonText json) {
        this.pool = pool;
        this.json = json;
    }

    public record Page(List<AuditEntry> entries, long total) {
    }

    public Uni<Page> page(String action, String subject, int limit, int offset) {
        String filter = " WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR subject = $2)";
        return pool.preparedQuery("SELECT id, at, subject, action, target, detail FROM healing.audit" + filter
                        + " ORDER BY at DESC, id DESC LIMIT $3 OFFSET $4")
                .execute(Tuple.of(action, subject, limit, offset))
                .flatMap(rows -> {
                    List<AuditEntry> entries = new ArrayList<>();
                    for (Row r : rows) {
                        entries.add(new AuditEntry(r.getLong(0), r.getOffsetDateTime(1), r.getString(2), r.getString(3),
                                r.getString(4), json.tree(r.getValue(5))));
                    }
                    return pool.preparedQuery("SELECT count(*) FROM healing.audit" + filter).execute(Tuple.of(action, subject))
                            .map(count -> new Page(entries, count.iterator().next().getLong(0)));
                });
    }
}
