package io.mythos.loadbalancer.repository;

import io.mythos.loadbalancer.config.BalancerConfig;
import io.mythos.platform.retention.Purge;
import io.mythos.platform.retention.RetentionPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;


/**
 * What the load balancer deletes (DESIGN.md "Retention"; run by the platform's Retention job):
 * <ul>
 * <li>{@code mythos.load-balancer.retention.plans} (P30D): plans older than that, with their finished
 * (done or failed) tasks, in one statement; a plan that still has a pending or claimed task stays until
 * the task ends;</li>
 * <li>{@code mythos.load-balancer.retention.idempotency-keys} (P1D): the platform idempotency store's keys
 * ({@code idempotency_key}) older than that (they already count as new once past {@code expires_at}).</li>
 * </ul>
 */
@ApplicationScoped
public class BalancerRetentionPlan implements RetentionPlan {

    /** $1 cutoff, $2 batch size (plans; their tasks go with them). */
    static final String PLANS = """
            WITH doomed AS (
                SELECT p.plan_id FROM loadbalancer.rebalance_plan p
                 WHERE p.created_at < $1
                   AND NOT EXISTS (SELECT 1 FROM loadbalancer.decentralization_task t
                                    WHERE t.plan_id = p.plan_id AND t.status IN ('pending', 'claimed'))
                 LIMIT $2),
            tasks AS (
                DELETE FROM loadbalancer.decentralization_task t USING doomed d WHERE t.plan_id = d.plan_id)
            DELETE FROM loadbalancer.rebalance_plan p USING doomed d WHERE p.plan_id = d.plan_id""";

    private final Duration plans;
    private final Duration idempotencyKeys;

    public BalancerRetentionPlan(BalancerConfig config) {
        this.plans = config.retention().plans();
        this.idempotencyKeys = config.retention().idempotencyKeys();
    }

    @Override
    public String service() {
        return "load-balancer";
    }

    @Override
    public List<Purge> purges() {
        return List.of(
                new Purge("plans", plans, PLANS),
                Purge.olderThan("idempotency-keys", idempotencyKeys, "loadbalancer.idempotency_key", "created_at", null));
    }
}
