package io.mythos.loadbalancer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The planner's default target and the task queue's timings; the one place their defaults are written. */
@ConfigMapping(prefix = "mythos.load-balancer")
public interface BalancerConfig {

    /** Default target: max utilization ≤ max(lower bound, this × mean). */
    @WithDefault("1.05")
    double targetImbalance();

    /** A claimed task not completed within this lease returns to pending. */
    @WithDefault("60s")
    Duration lease();

    /**
     * How often expired leases are swept back to pending ({@code LeaseExpiryJob} reads it by name; a claim
     * takes an expired task even before the sweep). Tests turn the scheduler off instead of this.
     */
    @WithDefault("5s")
    Duration leaseSweepEvery();

    /** How long a ritual spread plan defers a low-priority ritual. */
    @WithDefault("300s")
    Duration defer();

    /** DESIGN.md "Retention": how long rows are kept (ISO-8601), purged by the platform's Retention job. */
    Retention retention();

    interface Retention {
        /** Rebalance plans, with their finished tasks. */
        @WithDefault("P30D")
        Duration plans();

        /** A plan's Idempotency-Key (the plan itself stays for its own period). */
        @WithDefault("P1D")
        Duration idempotencyKeys();
    }

    Metrics metrics();

    interface Metrics {
        /** Only this many groups (those of highest max utilization) have per-group gauges. */
        @WithDefault("20")
        int topGroups();
    }
}
