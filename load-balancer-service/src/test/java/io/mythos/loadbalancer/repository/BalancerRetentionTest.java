package io.mythos.loadbalancer.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.platform.retention.Retention;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The load balancer's retention on a real database, with DESIGN.md's defaults: plans older than 30 days go
 * with their finished tasks, unless a task of theirs is still open; idempotency keys are forgotten after a
 * day while their plan stays.
 */
@QuarkusTest
class BalancerRetentionTest {

    @Inject
    Retention retention;
    @Inject
    Pool pool;

    private void sql(String sql, Object... args) {
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10));
    }

    private long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }

    private UUID plan(String age, String key) {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO loadbalancer.rebalance_plan (plan_id, idempotency_key, body, created_at) "
                + "VALUES ($1, $2, '{}', now() - interval '" + age + "')", id, key);
        made.add(id);
        return id;
    }

    private void task(UUID plan, String status) {
        sql("INSERT INTO loadbalancer.decentralization_task (task_id, plan_id, codex_id, action, shards, status) "
                + "VALUES ($1, $2, $3, 'split', 2, $4)", UUID.randomUUID(), plan, "c-" + UUID.randomUUID(), status);
    }

    private long plans(UUID id) {
        return count("SELECT count(*) FROM loadbalancer.rebalance_plan WHERE plan_id = $1", id);
    }

    private long tasks(UUID id) {
        return count("SELECT count(*) FROM loadbalancer.decentralization_task WHERE plan_id = $1", id);
    }

    private final java.util.List<UUID> made = new java.util.ArrayList<>();

    /** Its plans have no real body: none may stay for the other tests' plan listings to read. */
    @org.junit.jupiter.api.AfterEach
    void removeWhatThisTestMade() {
        UUID[] ids = made.toArray(UUID[]::new);
        sql("DELETE FROM loadbalancer.decentralization_task WHERE plan_id = ANY($1)", (Object) ids);
        sql("DELETE FROM loadbalancer.rebalance_plan WHERE plan_id = ANY($1)", (Object) ids);
    }

    @Test
    void deletesExactlyWhatIsOlderThanItsBound() {
        UUID old = plan("30 days 1 minute", null);
        task(old, "done");
        task(old, "failed");
        UUID oldWithOpenTask = plan("31 days", null);
        task(oldWithOpenTask, "done");
        task(oldWithOpenTask, "pending");
        UUID young = plan("29 days 23 hours", null);
        task(young, "done");
        String oldKey = "k-" + UUID.randomUUID();
        String youngKey = "k-" + UUID.randomUUID();
        UUID keyedOld = plan("1 day 1 minute", oldKey);
        UUID keyedYoung = plan("23 hours", youngKey);

        retention.purge().await().atMost(Duration.ofSeconds(60));

        assertEquals(0, plans(old));
        assertEquals(0, tasks(old));
        assertEquals(1, plans(oldWithOpenTask), "a plan with an open task stays");
        assertEquals(2, tasks(oldWithOpenTask));
        assertEquals(1, plans(young));
        assertEquals(1, tasks(young));
        assertEquals(1, plans(keyedOld), "the plan stays for its own period");
        assertEquals(0, count("SELECT count(*) FROM loadbalancer.rebalance_plan WHERE idempotency_key = $1", oldKey));
        assertEquals(1, count("SELECT count(*) FROM loadbalancer.rebalance_plan WHERE plan_id = $1 AND idempotency_key = $2",
                keyedYoung, youngKey));
    }
}
