package io.mythos.platform.security;

import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens already verified, keyed by their exact text, each until the instant the verifier would
 * refuse it: its {@code exp} plus the clock skew the verifier allows (and, where a maximum token age is
 * configured, its {@code iat} plus that age). A lookup after that instant is a miss, so the token is verified
 * again (and refused). Holds at most {@code capacity} tokens (a few more while puts race): a full cache drops
 * the expired ones and, if still full, arbitrary ones down to three quarters, so that a burst of new tokens
 * pays one sweep per quarter.
 */
final class VerifiedTokens {

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final int capacity;
    private final long skewMillis;
    private final Long maxAgeSeconds;
    private final Clock clock;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * @param skewSeconds   what the verifier allows past {@code exp}
     * @param maxAgeSeconds the verifier's maximum age after {@code iat} ({@code mp.jwt.verify.token.age}), or null
     */
    VerifiedTokens(int capacity, long skewSeconds, Long maxAgeSeconds, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, not " + capacity);
        }
        this.capacity = capacity;
        this.skewMillis = Math.max(0, skewSeconds) * 1000;
        this.maxAgeSeconds = maxAgeSeconds;
        this.clock = clock;
    }

    /** The token verified earlier from exactly this text, if it is still valid now; null otherwise. */
    JsonWebToken get(String raw) {
        Entry e = entries.get(raw);
        if (e == null) {
            misses.increment();
            return null;
        }
        if (clock.millis() >= e.validUntilMillis) {
            entries.remove(raw, e);
            misses.increment();
            return null;
        }
        hits.increment();
        return e.token;
    }

    /** Keeps a token the verifier has just accepted (never call this with one it refused). */
    void put(String raw, JsonWebToken verified) {
        long now = clock.millis();
        long until = validUntilMillis(verified);
        if (until <= now) {
            return;
        }
        if (entries.size() >= capacity) {
            makeRoom(now);
        }
        entries.put(raw, new Entry(verified, until));
    }

    int size() {
        return entries.size();
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    private long validUntilMillis(JsonWebToken token) {
        long exp = seconds(token, Claims.exp);
        if (exp <= 0) {
            return Long.MIN_VALUE; // no exp: the verifier requires one, so never reached; never cached either
        }
        long until = exp * 1000 + skewMillis;
        if (maxAgeSeconds != null) {
            until = Math.min(until, (seconds(token, Claims.iat) + maxAgeSeconds) * 1000);
        }
        return until;
    }

    private static long seconds(JsonWebToken token, Claims claim) {
        return token.getClaim(claim.name()) instanceof Number n ? n.longValue() : 0;
    }

    private void makeRoom(long now) {
        entries.values().removeIf(e -> now >= e.validUntilMillis);
        if (entries.size() < capacity) {
            return;
        }
        int target = capacity - Math.max(1, capacity / 4);
        Iterator<Entry> it = entries.values().iterator();
        while (entries.size() > target && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private record Entry(JsonWebToken token, long validUntilMillis) {
    }
}
