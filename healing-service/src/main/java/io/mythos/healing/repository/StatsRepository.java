package io.mythos.healing.repository;

import io.mythos.common.healing.EventStatus;
import io.mythos.common.healing.SignalKind;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The figures of GET /system/health/stats and the effectiveness gauge, and the lifecycle's timed steps. */
@ApplicationScoped
public class StatsRepository {

    private final Pool pool;

    public StatsRepository(Pool pool) {
        this.pool = pool;
    }

    /** The events of one trigger and status created in the window, and how their verification stands. */
    public record Count(SignalKind trigger, EventStatus status, long events, long effective, long ineffective, long verifying) {
    }

    public Uni<List<Count>> counts(OffsetDateTime from, OffsetDateTime to) {
        return pool.preparedQuery("""
                        SELECT triggered_by, status, count(*),
                               count(*) FILTER (WHERE effective),
                               count(*) FILTER (WHERE effective = false),
                               count(*) FILTER (WHERE status = 'resolved' AND effective IS NULL AND verify_until IS NOT NULL)
                        FROM healing.healing_event WHERE created_at >= $1 AND created_at <= $2
                        GROUP BY triggered_by, status""")
                .execute(Tuple.of(from, to))
                .map(rows -> {
                    List<Count> counts = new ArrayList<>();
                    for (Row r : rows) {
                        counts.add(new Count(WireEnum.parse(SignalKind.class, r.getString(0), "triggered_by"),
                                WireEnum.parse(EventStatus.class, r.getString(1), "status"),
                                r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)));
                    }
                    return counts;
                });
    }

    /** Verification: a resolved event whose window passed without a recurrence was effective. Answers how many. */
    public Uni<Integer> decideEffective() {
        return pool.query("""
                        UPDATE healing.healing_event SET effective = true
                        WHERE status = 'resolved' AND effective IS NULL AND verify_until < now()""").execute()
                .map(rows -> rows.rowCount());
    }

    /** Silences expire by themselves: their open silenced events end with them. Answers how many. */
    public Uni<Integer> endExpiredSilenced() {
        return pool.query("""
                        UPDATE healing.healing_event SET resolved_at = least(silenced_until, now())
                        WHERE status = 'silenced' AND resolved_at IS NULL AND (silenced_until IS NULL OR silenced_until <= now())""")
                .execute().map(rows -> rows.rowCount());
    }

    /** Held actions, for the gauge. */
    public Uni<Long> countHeld() {
        return pool.query("SELECT count(*) FROM healing.repair_action WHERE status = 'held'").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
