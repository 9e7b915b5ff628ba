package io.mythos.healing.repository;

import io.mythos.platform.retention.Purge;
import io.mythos.platform.retention.RetentionPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the healing service deletes (DESIGN.md "Retention"; run by the platform's Retention job):
 * signals received more than {@code mythos.healing.retention.signals} ago, and events resolved or
 * failed more than {@code mythos.healing.retention.events} ago with their actions (ON DELETE CASCADE).
 * Active events are never purged. {@code mythos.healing.retention.idempotency-keys} is read for the
 * platform idempotency store; the service keeps no idempotency answers of its own today.
 */
@ApplicationScoped
public class HealingRetentionPlan implements RetentionPlan {

    private final Duration signals;
    private final Duration events;

    public HealingRetentionPlan(@ConfigProperty(name = "mythos.healing.retention.signals", defaultValue = "P7D") Duration signals,
                                @ConfigProperty(name = "mythos.healing.retention.events", defaultValue = "P30D") Duration events) {
        this.signals = signals;
        this.events = events;
    }

    @Override
    public String service() {
        return "healing";
    }

    @Override
    public List<Purge> purges() {
        return List.of(
                Purge.olderThan("signals", signals, "healing.signal", "received_at", null),
                Purge.olderThan("events", events, "healing.healing_event", "resolved_at", "status IN ('resolved', 'failed')"));
    }
}
