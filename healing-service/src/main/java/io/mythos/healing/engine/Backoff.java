package io.mythos.healing.engine;

import java.time.Duration;

/** Exponential backoff: base after the first failed call, doubled after each further one, capped. */
public final class Backoff {

    private Backoff() {
    }

    public static Duration after(int failedCalls, Duration base, Duration max) {
        if (failedCalls <= 1) {
            return base.compareTo(max) > 0 ? max : base;
        }
        int doublings = Math.min(failedCalls - 1, 30); // 2^30 × any base is already past any sane cap
        Duration d = base.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 ? max : d;
    }
}
