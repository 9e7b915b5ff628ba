package io.mythos.common.web;

import java.time.Duration;

/**
 * The ranges of DESIGN.md "Limits and isolation", in one place for the wire records' constraints and
 * the services' own checks. Bounded so that every figure derived from client numbers stays finite: a
 * sum of 1e9 over any map that fits in a database, divided by a capacity of 1e-6 halved by entropy, is
 * far below {@link Double#MAX_VALUE}.
 */
public final class Limits {

    /** The largest pressure, density, capacity or signal value a client may send. */
    public static final String MAX_AMOUNT = "1e9";
    /** The smallest capacity a client may send (capacity &gt; 0 and at least this). */
    public static final String MIN_CAPACITY = "1e-6";
    /** How far back a client's timestamp may lie. */
    public static final Duration MAX_PAST = Duration.ofDays(30);
    /** How far ahead a client's timestamp may lie (clock skew between a sender and the service). */
    public static final Duration MAX_FUTURE = Duration.ofMinutes(5);

    /** An {@code Idempotency-Key}: printable ASCII (with {@code @Size(min = 1, max = 200)}). */
    public static final String IDEMPOTENCY_KEY = "[\\x20-\\x7E]+";

    private Limits() {
    }
}
