package io.mythos.healing.repository;

import io.mythos.healing.config.HealingConfig;
import io.mythos.platform.retention.Purge;
import io.mythos.platform.retention.RetentionPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;


/**
 * What the healing service deletes (DESIGN.md "Retention"; run by the platform's Retention job):
 * signals received more than {@code mythos.healing.retention.signals} ago, and events that ended
 * ({@code resolved_at} set: resolved, failed, an escalation an operator resolved, a silence that ran out)
 * more than {@code mythos.healing.retention.events} ago with their actions (ON DELETE CASCADE). Open
 * events (active, escalated, silenced) are never purged. {@code mythos.healing.retention.idempotency-keys} is read for the
 * platform idempotency store; the service keeps no idempotency answers of its own today.
 */
@ApplicationScoped
public class HealingRetentionPlan implements RetentionPlan {

    private final Duration signals;
    private final Duration events;

    public HealingRetentionPlan(HealingConfig config) {
        this.signals = config.retention().signals();
        this.events = config.retention().events();
    }

    @Override
    public String service() {
        return "healing";
    }

    @Override
    public List<Purge> purges() {
        return List.of(
                Purge.olderThan("signals", signals, "healing.signal", "received_at", null),
                Purge.olderThan("events", events, "healing.healing_event", "resolved_at", null));
    }
}
