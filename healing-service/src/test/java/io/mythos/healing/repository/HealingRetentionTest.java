package io.mythos.healing.repository;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.count;
import static io.mythos.healing.support.Fixtures.unique;
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
 * The healing service's retention on a real database, with DESIGN.md's defaults: signals received more than
 * 7 days ago and events resolved or failed more than 30 days ago go (with their actions); younger ones, and
 * active events however old, stay.
 */
@QuarkusTest
class HealingRetentionTest {

    @Inject
    Retention retention;
    @Inject
    Pool pool;

    private void sql(String sql, Object... args) {
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(10));
    }

    private UUID event(String node, String assistant, String status, String endedAgo, String kind) {
        UUID id = UUID.randomUUID();
        sql("INSERT INTO healing.healing_event (id, node_id, triggered_by, assistant_id, status, created_at, resolved_at) "
                + "VALUES ($1, $2, $5, $3, $4, now() - interval '40 days', "
                + (endedAgo == null ? "NULL" : "now() - interval '" + endedAgo + "'") + ")", id, node, assistant, status, kind);
        sql("INSERT INTO healing.repair_action (id, event_id, seq, type, target, status) VALUES ($1, $2, 1, 'rebalance_load', 'g', $3)",
                UUID.randomUUID(), id, status.equals("active") ? "pending" : "succeeded");
        return id;
    }

    @Test
    void deletesExactlyWhatIsOlderThanItsBound() {
        String a = assistant();
        String node = unique("node");
        sql("INSERT INTO healing.signal (node_id, assistant_id, kind, value, observed_at, received_at) "
                + "SELECT $1, $2, 'entropy_spike', 0.1, now(), now() - interval '7 days 1 minute' FROM generate_series(1, 3) "
                + "UNION ALL SELECT $1, $2, 'entropy_spike', 0.1, now(), now() - interval '6 days 23 hours' FROM generate_series(1, 2)",
                node, a);
        UUID oldResolved = event(node, a, "resolved", "30 days 1 minute", "entropy_spike");
        UUID oldFailed = event(node, a, "failed", "31 days", "ritual_failure");
        UUID youngResolved = event(node, a, "resolved", "29 days 23 hours", "codex_conflict");
        UUID oldActive = event(node, a, "active", null, "symbolic_error");
        String other = unique("node");
        UUID oldSilenced = event(other, a, "silenced", "30 days 1 minute", "entropy_spike");
        UUID openEscalated = event(other, a, "escalated", null, "ritual_failure");

        retention.purge().await().atMost(Duration.ofSeconds(60));

        assertEquals(2, count(pool, "SELECT count(*) FROM healing.signal WHERE node_id = $1", node));
        assertEquals(0, count(pool, "SELECT count(*) FROM healing.signal WHERE node_id = $1 AND received_at < now() - interval '7 days'", node));
        for (UUID gone : new UUID[] {oldResolved, oldFailed, oldSilenced}) {
            assertEquals(0, count(pool, "SELECT count(*) FROM healing.healing_event WHERE id = $1", gone));
            assertEquals(0, count(pool, "SELECT count(*) FROM healing.repair_action WHERE event_id = $1", gone));
        }
        for (UUID kept : new UUID[] {youngResolved, oldActive, openEscalated}) {
            assertEquals(1, count(pool, "SELECT count(*) FROM healing.healing_event WHERE id = $1", kept));
            assertEquals(1, count(pool, "SELECT count(*) FROM healing.repair_action WHERE event_id = $1", kept));
        }
    }
}
