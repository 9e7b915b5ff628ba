package io.mythos.daemon.config;

import io.mythos.daemon.belief.RecoveryParameters;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The daemon's settings (prefix {@code mythos.daemon}, env {@code MYTHOS_DAEMON_*}); the defaults are
 * DESIGN.md's and are written here only (the scheduler's {@code ${mythos.daemon.interval}} sees them too).
 */
@ConfigMapping(prefix = "mythos.daemon")
public interface DaemonConfig {

    /** Time between two scheduled recovery cycles. */
    @WithDefault("5s")
    Duration interval();

    /** A zone at or below this divergence is converged; only replicas above it are resynced. */
    @WithDefault("0.02")
    double epsilon();

    /** A zone above this divergence is diverged (between epsilon and it: recovering). */
    @WithDefault("0.10")
    double divergenceThreshold();

    /** The fraction of its realignment vector a replica moves by in one resync. */
    @WithDefault("0.5")
    double resyncRate();

    /** A replica with no report for this long is stale and left out of the consensus. */
    @WithDefault("10m")
    Duration staleAfter();

    /**
     * A page of recovery records (a zone's events, the recent ones of GET /system/daemon) ends early once its
     * records hold this many bytes of stored text; the first record is always answered.
     */
    @WithDefault("8388608")
    long maxPageBytes();

    /** A zone whose divergence has not fallen for this many cycles is stalled. */
    @WithDefault("5")
    int stallCycles();

    /**
     * How long {@code POST .../recover} waits for a zone another recovery holds (a scheduled cycle or
     * another instance) before answering 503, which callers retry. Shorter than the healing service's
     * read timeout (5 s), so that it gets the 503 rather than a timeout.
     */
    @WithDefault("3s")
    Duration recoverLockTimeout();

    /** Per-zone cap: a report that would give a zone more replicas is a 422 (DESIGN.md "Limits and isolation"). */
    @WithDefault("256")
    int maxReplicasPerZone();

    /** Per-zone cap: a report that would give a zone more distinct belief names is a 422. */
    @WithDefault("10000")
    int maxBeliefsPerZone();

    /**
     * Zones whose belief maps hold at least this many values in all are parsed and computed on a worker
     * thread instead of the event loop (about a millisecond of work on this machine; for the parse, the
     * stored text is measured at 16 characters a value).
     */
    @WithDefault("20000")
    int offloadValues();

    /**
     * Belief values this instance keeps parsed (about 12 bytes each), so that a report or a zone read
     * fetches and parses only the replicas changed since; the default holds one zone at the caps
     * (256 x 10,000). 0 keeps none (every read parses the whole zone).
     */
    @WithDefault("3000000")
    long parsedValues();

    default long offloadChars() {
        return 16L * offloadValues();
    }

    default RecoveryParameters recoveryParameters() {
        return new RecoveryParameters(epsilon(), divergenceThreshold(), resyncRate(), stallCycles());
    }

    /** DESIGN.md "Retention": how long rows are kept (ISO-8601), purged by the platform's Retention job. */
    Retention retention();

    interface Retention {
        /** Recovery records, belief path points and escalations no longer pending. */
        @WithDefault("P30D")
        Duration records();

        /** Replicas without a report for this long are deleted. */
        @WithDefault("P7D")
        Duration staleReplicas();

        /** Answers kept for Idempotency-Key of POST .../recover. */
        @WithDefault("P1D")
        Duration idempotencyKeys();
    }

    Metrics metrics();

    interface Metrics {
        /** Only this many zones (those of highest divergence) have a divergence gauge. */
        @WithDefault("20")
        int topZones();
    }
}
