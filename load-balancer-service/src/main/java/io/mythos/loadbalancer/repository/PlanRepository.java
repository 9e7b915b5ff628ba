package io.mythos.loadbalancer.repository;

import io.mythos.common.load.PlanSummary;
import io.mythos.common.load.RebalancePlan;
import io.mythos.platform.json.JsonText;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Stored plans, kept as the JSON they were answered with, beside their summary: a page of the list reads
 * only summaries (bounded in size), one plan is answered as its stored text (never parsed into objects).
 */
@ApplicationScoped
public class PlanRepository {

    private final Pool pool;
    private final JsonText json;

    public PlanRepository(Pool pool, JsonText json) {
        this.pool = pool;
        this.json = json;
    }

    /** Opens the plan row first thing in the rebalance transaction (after its idempotency key, if any). */
    public Uni<Void> open(SqlConnection conn, UUID planId) {
        return conn.preparedQuery("INSERT INTO loadbalancer.rebalance_plan (plan_id) VALUES ($1)")
                .execute(Tuple.of(planId)).replaceWithVoid();
    }

    public Uni<Void> store(SqlConnection conn, RebalancePlan plan) {
        return conn.preparedQuery("""
                        UPDATE loadbalancer.rebalance_plan SET body = $2::text::jsonb, summary = $3::text::jsonb
                         WHERE plan_id = $1""")
                .execute(Tuple.of(plan.planId(), json.write(plan), json.write(PlanSummary.of(plan)))).replaceWithVoid();
    }

    /** The stored plan's JSON text as it was answered, or null. */
    public Uni<String> find(UUID planId) {
        return pool.preparedQuery("SELECT body::text FROM loadbalancer.rebalance_plan WHERE plan_id = $1 AND body IS NOT NULL")
                .execute(Tuple.of(planId)).map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    public Uni<List<PlanSummary>> page(int limit, int offset) {
        return pool.preparedQuery("""
                        SELECT summary::text FROM loadbalancer.rebalance_plan WHERE summary IS NOT NULL
                         ORDER BY created_at DESC, plan_id LIMIT $1 OFFSET $2""")
                .execute(Tuple.of(limit, offset)).map(rows -> {
                    List<PlanSummary> out = new ArrayList<>();
                    rows.forEach(r -> out.add(read(r)));
                    return out;
                });
    }

    public Uni<Long> count() {
        return pool.query("SELECT count(*) FROM loadbalancer.rebalance_plan WHERE summary IS NOT NULL").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private PlanSummary read(Row row) {
        return json.read(row.getString(0), PlanSummary.class);
    }
}
