package io.mythos.healing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Every knob of the healing engine, under {@code mythos.healing.*} in application.properties (or
 * environment variables such as {@code MYTHOS_HEALING_REPAIR_DRY_RUN}). Each default is written here
 * once; the scheduler's periods read them through {@code ${mythos.healing...}} expressions.
 */
@ConfigMapping(prefix = "mythos.healing")
public interface HealingConfig {

    /**
     * The rules as application.properties gives them, keyed by signal kind ({@code entropy_spike}, ...).
     * They are written to the database at start-up, except those changed at run time through the API.
     */
    Map<String, RuleConfig> rules();

    Repair repair();

    Ingest ingest();

    interface RuleConfig {
        OptionalDouble threshold();

        @WithDefault("60")
        int windowSeconds();

        @WithDefault("1")
        int minOccurrences();

        @WithDefault("30")
        int cooldownSeconds();

        /** How long a resolved event is watched for a recurrence of its trigger on its node. */
        @WithDefault("120")
        int verifySeconds();

        /** Ineffective repairs within the flapping window after which the next event is escalated. */
        @WithDefault("3")
        int maxIneffective();
    }

    interface Repair {
        /** Log events with their planned actions marked dry_run, and call no peer. */
        @WithDefault("false")
        boolean dryRun();

        /** At most this many events have calls in flight at once; further events wait, pending. */
        @WithDefault("20")
        int maxConcurrentRepairs();

        /** Calls made for one action before it is failed. */
        @WithDefault("10")
        int maxAttempts();

        /** Delay after the first failed call; doubled after each further one. */
        @WithDefault("1s")
        Duration backoffBase();

        @WithDefault("30s")
        Duration backoffMax();

        /** How long a started call keeps its action from other runs; beyond it, a crashed run's action is retried. */
        @WithDefault("30s")
        Duration claimLease();

        /** How often the retrier looks for due actions (a scheduler period). */
        @WithDefault("1s")
        Duration retryInterval();

        /** Most due actions started by one run of the retrier. */
        @WithDefault("200")
        int claimBatch();
    }

    /** How often the rules are re-read, so that a PUT on another instance reaches this one (a scheduler period). */
    @WithDefault("5s")
    Duration rulesRefreshInterval();

    /** How often the gauge of active events is read from the database (a scheduler period). */
    @WithDefault("5s")
    Duration metricsInterval();

    /**
     * The storm guard: when more than this share of a group's registered assistants have an active event
     * that fired within {@link #stormWindow()}, the group's new actions are held (status held, reason storm).
     */
    @WithDefault("0.4")
    double stormFraction();

    /** A storm needs at least this many affected assistants in the group (one assistant alone is never a shared cause). */
    @WithDefault("2")
    int stormMinAssistants();

    /** An active event counts for the storm guard while its node fired within this window. */
    @WithDefault("60s")
    Duration stormWindow();

    /** The flapping guard counts the ineffective repairs of a node and trigger within this window. */
    @WithDefault("1h")
    Duration flappingWindow();

    /** How often verification is decided, expired silences end their events and calm storms are released (a scheduler period). */
    @WithDefault("5s")
    Duration safetyInterval();

    /** The effectiveness gauge covers the events created within this window. */
    @WithDefault("24h")
    Duration effectivenessWindow();

    interface Ingest {
        /** Insert transactions of signals running at once; requests arriving meanwhile join the next one. */
        @WithDefault("8")
        int maxBatchesInFlight();

        /** Most signals written by one insert transaction. */
        @WithDefault("5000")
        int maxBatchSignals();

        /**
         * Most signals waiting for a batch (DESIGN.md "Limits and isolation"); a request that would pass it
         * is refused whole with 503 and Retry-After.
         */
        @WithDefault("10000")
        int maxQueuedSignals();
    }

    /** DESIGN.md "Retention": how long rows are kept (ISO-8601), purged by the platform's Retention job. */
    Retention retention();

    interface Retention {
        /** Signals, by when they were received. */
        @WithDefault("P7D")
        Duration signals();

        /** Resolved or failed events with their actions, by when they ended. */
        @WithDefault("P30D")
        Duration events();

        /** For the platform idempotency store (the service keeps no idempotency answers of its own today). */
        @WithDefault("P1D")
        Duration idempotencyKeys();
    }
}
