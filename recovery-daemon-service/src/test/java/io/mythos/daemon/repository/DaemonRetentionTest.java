package io.mythos.daemon.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.daemon.rest.Reports;
import io.mythos.platform.retention.Retention;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The daemon's retention on a real database, with DESIGN.md's defaults: records (recovery records, belief
 * path points, ended escalations) older than 30 days, replicas without a report for 7 days and idempotency
 * answers older than 1 day go; everything just within its bound stays.
 */
@QuarkusTest
class DaemonRetentionTest {

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

    private void record(String zone, String age) {
        sql("INSERT INTO recovery.recovery_event (id, network_zone, detected_failure, memory_resync_attempts, "
                + "codex_realignment_vector, assistant_reflection_scripts, recovery_score, created_at) "
                + "VALUES ($1, $2, '{}', '[]', '{}', '', 0.5, now() - interval '" + age + "')", UUID.randomUUID(), zone);
    }

    private String zone;

    /** Its recovery records have no real body: none may stay for the other tests' reads of recent records. */
    @org.junit.jupiter.api.AfterEach
    void removeWhatThisTestMade() {
        if (zone != null) {
            sql("DELETE FROM recovery.recovery_event WHERE network_zone = $1", zone);
        }
    }

    @Test
    void deletesExactlyWhatIsOlderThanItsBound() {
        zone = Reports.newZone();
        Reports.report(zone, "old", Map.of("x", 0.5));
        Reports.report(zone, "young", Map.of("x", 0.5));
        sql("UPDATE recovery.replica SET reported_at = now() - interval '7 days 1 minute' WHERE zone = $1 AND assistant_id = 'old'", zone);
        sql("UPDATE recovery.replica SET reported_at = now() - interval '6 days 23 hours' WHERE zone = $1 AND assistant_id = 'young'", zone);
        record(zone, "30 days 1 minute");
        record(zone, "29 days 23 hours");
        sql("INSERT INTO recovery.zone_path (zone, cycle, at, divergence) VALUES "
                + "($1, 1, now() - interval '30 days 1 minute', 0.4), ($1, 2, now() - interval '29 days 23 hours', 0.3)", zone);
        sql("INSERT INTO recovery.escalation (zone, assistant_id, divergence, status, created_at) VALUES "
                + "($1, 'a', 0.4, 'sent', now() - interval '31 days'), ($1, 'a', 0.4, 'pending', now() - interval '31 days'), "
                + "($1, 'a', 0.4, 'sent', now() - interval '29 days')", zone);
        String oldKey = "k-" + UUID.randomUUID();
        String youngKey = "k-" + UUID.randomUUID();
        sql("INSERT INTO recovery.idempotency_key (route, key, fingerprint, status, body, created_at, expires_at) VALUES "
                + "('retention-test', $1, repeat('0', 64), 200, '{}', now() - interval '1 day 1 minute', now() - interval '1 minute'), "
                + "('retention-test', $2, repeat('0', 64), 200, '{}', now() - interval '23 hours', now() + interval '1 hour')", oldKey, youngKey);

        retention.purge().await().atMost(Duration.ofSeconds(60));

        assertEquals(1, count("SELECT count(*) FROM recovery.replica WHERE zone = $1 AND assistant_id = 'young'", zone));
        assertEquals(0, count("SELECT count(*) FROM recovery.replica WHERE zone = $1 AND assistant_id = 'old'", zone));
        assertEquals(1, count("SELECT count(*) FROM recovery.recovery_event WHERE network_zone = $1", zone));
        assertEquals(1, count("SELECT count(*) FROM recovery.recovery_event WHERE network_zone = $1 AND created_at > now() - interval '30 days'", zone));
        assertEquals(1, count("SELECT count(*) FROM recovery.zone_path WHERE zone = $1 AND cycle = 2", zone));
        assertEquals(0, count("SELECT count(*) FROM recovery.zone_path WHERE zone = $1 AND cycle = 1", zone));
        assertEquals(2, count("SELECT count(*) FROM recovery.escalation WHERE zone = $1", zone), "the young one and the pending one stay");
        assertEquals(0, count("SELECT count(*) FROM recovery.escalation WHERE zone = $1 AND status = 'sent' AND created_at < now() - interval '30 days'", zone));
        assertEquals(0, count("SELECT count(*) FROM recovery.idempotency_key WHERE key = $1", oldKey));
        assertEquals(1, count("SELECT count(*) FROM recovery.idempotency_key WHERE key = $1", youngKey));
    }
}
