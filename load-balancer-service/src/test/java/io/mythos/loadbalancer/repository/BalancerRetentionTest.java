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

    private UUID plan(String age) {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO loadbalancer.rebalance_plan (plan_id, body, created_at) "
                + "VALUES ($1, '{}', now() - interval '" + age + "')", id);
        made.add(id);
        return id;
    }

    /** A key of the platform's idempotency store, made {@code age} ago. */
    private void key(String key, String age) {
        sql("INSERT INTO loadbalancer.idempotency_key (route, key, fingerprint, status, body, created_at, expires_at) "
                + "VALUES ('retention-test', $1, repeat('0', 64), 200, '{}', now() - interval '" + age + "', "
                + "now() - interval '" + age + "' + interval '1 day')", key);
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
        UUID old = plan("30 days 1 minute");
        task(old, "done");
        task(old, "failed");
        UUID oldWithOpenTask = plan("31 days");
        task(oldWithOpenTask, "done");
        task(oldWithOpenTask, "pending");
        UUID young = plan("29 days 23 hours");
        task(young, "done");
        String oldKey = "k-" + UUID.randomUUID();
        String youngKey = "k-" + UUID.randomUUID();
        key(oldKey, "1 day 1 minute");
        key(youngKey, "23 hours");

        retention.purge().await().atMost(Duration.ofSeconds(60));

        assertEquals(0, plans(old));
        assertEquals(0, tasks(old));
        assertEquals(1, plans(oldWithOpenTask), "a plan with an open task stays");
        assertEquals(2, tasks(oldWithOpenTask));
        assertEquals(1, plans(young));
        assertEquals(1, tasks(young));
        assertEquals(0, count("SELECT count(*) FROM loadbalancer.idempotency_key WHERE key = $1", oldKey));
        assertEquals(1, count("SELECT count(*) FROM loadbalancer.idempotency_key WHERE key = $1", youngKey));
    }
}
