package io.mythos.healing.engine;

import io.mythos.common.healing.SignalKind;

/**
 * A rule as the engine applies it. A signal qualifies when the rule has no threshold or the signal's
 * value reaches it; it fires when, counting itself, at least {@code minOccurrences} qualifying signals
 * of its node and kind were observed in the {@code windowSeconds} up to and including its own
 * observation time (both ends of the window included). A resolved event is watched for a recurrence
 * for {@code verifySeconds}; {@code maxIneffective} ineffective repairs within the flapping window
 * escalate the next event.
 */
public record FiringRule(SignalKind kind, Double threshold, int windowSeconds, int minOccurrences, int cooldownSeconds,
                         int verifySeconds, int maxIneffective) {

    public static final int DEFAULT_VERIFY_SECONDS = 120;
    public static final int DEFAULT_MAX_INEFFECTIVE = 3;

    /** A rule with the default verification window (120 s) and flapping limit (3). */
    public FiringRule(SignalKind kind, Double threshold, int windowSeconds, int minOccurrences, int cooldownSeconds) {
        this(kind, threshold, windowSeconds, minOccurrences, cooldownSeconds, DEFAULT_VERIFY_SECONDS, DEFAULT_MAX_INEFFECTIVE);
    }

    public boolean qualifies(Double value) {
        return threshold == null || (value != null && value >= threshold);
    }

    /** A rule of one occurrence fires on the signal alone; others must count the stored signals. */
    public boolean needsWindow() {
        return minOccurrences > 1;
    }
}
