package io.mythos.daemon.repository;

import io.mythos.daemon.config.DaemonConfig;
import io.mythos.platform.retention.Purge;
import io.mythos.platform.retention.RetentionPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;


/**
 * What the recovery daemon deletes (DESIGN.md "Retention"; run by the platform's Retention job):
 * <ul>
 * <li>{@code mythos.daemon.retention.records} (P30D): recovery records, belief path points and escalations
 * that are no longer pending, older than that;</li>
 * <li>{@code mythos.daemon.retention.stale-replicas} (P7D): replicas without a report for that long (they
 * have long been left out of the consensus as stale);</li>
 * <li>{@code mythos.daemon.retention.idempotency-keys} (P1D): the platform idempotency store's keys and
 * answers for {@code Idempotency-Key} of POST .../recover ({@code idempotency_key}).</li>
 * </ul>
 */
@ApplicationScoped
public class DaemonRetentionPlan implements RetentionPlan {

    private final Duration records;
    private final Duration staleReplicas;
    private final Duration idempotencyKeys;

    public DaemonRetentionPlan(DaemonConfig config) {
        this.records = config.retention().records();
        this.staleReplicas = config.retention().staleReplicas();
        this.idempotencyKeys = config.retention().idempotencyKeys();
    }

    @Override
    public String service() {
        return "daemon";
    }

    @Override
    public List<Purge> purges() {
        return List.of(
                Purge.olderThan("records", records, "recovery.recovery_event", "created_at", null),
                Purge.olderThan("records", records, "recovery.zone_path", "at", null),
                Purge.olderThan("records", records, "recovery.escalation", "created_at", "status <> 'pending'"),
                Purge.olderThan("stale-replicas", staleReplicas, "recovery.replica", "reported_at", null),
                Purge.olderThan("idempotency-keys", idempotencyKeys, "recovery.idempotency_key", "created_at", null));
    }
}
