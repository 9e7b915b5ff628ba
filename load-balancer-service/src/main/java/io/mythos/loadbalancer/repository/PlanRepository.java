package io.mythos.loadbalancer.repository;

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

/** Stored plans, kept as the JSON they were answered with. */
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
        return conn.preparedQuery("UPDATE loadbalancer.rebalance_plan SET body = $2::text::jsonb WHERE plan_id = $1")
                .execute(Tuple.of(plan.planId(), json.write(plan))).replaceWithVoid();
    }

    public Uni<RebalancePlan> find(UUID planId) {
        return pool.preparedQuery("SELECT body::text FROM loadbalancer.rebalance_plan WHERE plan_id = $1 AND body IS NOT NULL")
                .execute(Tuple.of(planId)).map(rows -> rows.size() == 0 ? null : read(rows.iterator().next()));
    }

    public Uni<List<RebalancePlan>> page(int limit, int offset) {
        return pool.preparedQuery("""
                        SELECT body::text FROM loadbalancer.rebalance_plan WHERE body IS NOT NULL
                         ORDER BY created_at DESC, plan_id LIMIT $1 OFFSET $2""")
                .execute(Tuple.of(limit, offset)).map(rows -> {
                    List<RebalancePlan> out = new ArrayList<>();
                    rows.forEach(r -> out.add(read(r)));
                    return out;
                });
    }

    public Uni<Long> count() {
        return pool.query("SELECT count(*) FROM loadbalancer.rebalance_plan WHERE body IS NOT NULL").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private RebalancePlan read(Row row) {
        return json.read(row.getString(0), RebalancePlan.class);
    }
}
