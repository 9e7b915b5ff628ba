package io.mythos.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** The cache's rules on a clock of its own: valid until exp plus skew (and token age), bounded, never a refusal. */
class VerifiedTokensTest {

    private static final long T0 = 1_800_000_000L; // epoch seconds of the test's "now"

    private final MutableClock clock = new MutableClock(T0 * 1000);

    @Test
    void aTokenIsServedUntilItsExpPlusTheSkewThenVerifiedAgain() {
        VerifiedTokens cache = new VerifiedTokens(16, 60, null, clock);
        JsonWebToken jwt = token(T0, T0 + 300);
        cache.put("a", jwt);

        assertSame(jwt, cache.get("a"));
        clock.millis = (T0 + 300) * 1000; // exp itself: the verifier still allows the 60 s skew
        assertSame(jwt, cache.get("a"));
        clock.millis = (T0 + 360) * 1000 - 1;
        assertSame(jwt, cache.get("a"));
        clock.millis = (T0 + 360) * 1000;
        assertNull(cache.get("a"), "past exp + skew: a miss, so the verifier sees it (and refuses it)");
        assertEquals(0, cache.size(), "the expired entry is dropped");
        assertEquals(3, cache.hits());
        assertEquals(1, cache.misses());
    }

    @Test
    void aConfiguredTokenAgeEndsTheEntryEarlier() {
        VerifiedTokens cache = new VerifiedTokens(16, 60, 100L, clock);
        cache.put("a", token(T0, T0 + 300));
        clock.millis = (T0 + 100) * 1000 - 1;
        assertTrue(cache.get("a") != null);
        clock.millis = (T0 + 100) * 1000;
        assertNull(cache.get("a"));
    }

    @Test
    void aTokenAlreadyPastItsValidityOrWithoutExpIsNotKept() {
        VerifiedTokens cache = new VerifiedTokens(16, 0, null, clock);
        cache.put("past", token(T0 - 100, T0));
        cache.put("no-exp", new FakeJwt(Map.of("iat", T0)));
        assertEquals(0, cache.size());
    }

    @Test
    void onlyTheExactTextHits() {
        VerifiedTokens cache = new VerifiedTokens(16, 60, null, clock);
        cache.put("header.claims.signature", token(T0, T0 + 300));
        assertNull(cache.get("header.claims.signaturf"));
        assertNull(cache.get("header.claims.signature "));
    }

    @Test
    void theBoundHoldsDroppingExpiredEntriesFirst() {
        int capacity = 100;
        VerifiedTokens cache = new VerifiedTokens(capacity, 0, null, clock);
        for (int i = 0; i < 10 * capacity; i++) {
            cache.put("t" + i, token(T0, T0 + 300));
            assertTrue(cache.size() <= capacity, "size " + cache.size() + " after " + (i + 1) + " puts");
        }
        assertTrue(cache.get("t" + (10 * capacity - 1)) != null, "the newest entry is kept");

        // a full cache of short-lived tokens: once they expire, a new token takes their room, not that of live ones
        VerifiedTokens mixed = new VerifiedTokens(capacity, 0, null, clock);
        for (int i = 0; i < capacity / 2; i++) {
            mixed.put("live" + i, token(T0, T0 + 300));
            mixed.put("short" + i, token(T0, T0 + 10));
        }
        clock.millis = (T0 + 10) * 1000;
        mixed.put("new", token(T0, T0 + 300));
        assertEquals(capacity / 2 + 1, mixed.size());
        for (int i = 0; i < capacity / 2; i++) {
            assertTrue(mixed.get("live" + i) != null, "live" + i);
        }
    }

    @Test
    void theParserKeepsOnlyWhatTheDelegateAcceptedAndDelegatesTheRest() throws Exception {
        AtomicInteger parses = new AtomicInteger();
        DefaultJWTParser delegate = new DefaultJWTParser(new JWTAuthContextInfo()) {
            @Override
            public JsonWebToken parse(String token) throws ParseException {
                parses.incrementAndGet();
                if (token.startsWith("bad")) {
                    throw new ParseException("refused");
                }
                long now = System.currentTimeMillis() / 1000;
                return token(now, now + 300);
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CachingJwtParser parser = new CachingJwtParser(delegate, new JWTAuthContextInfo(), registry);

        assertThrows(ParseException.class, () -> parser.parse("bad"));
        assertThrows(ParseException.class, () -> parser.parse("bad"));
        assertEquals(2, parses.get(), "a refusal is never kept: each try is verified");

        JsonWebToken first = parser.parse("good");
        assertSame(first, parser.parse("good"));
        assertEquals(3, parses.get(), "the second parse of an accepted token is a hit");
        assertEquals(1, registry.get("mythos.security.token.cache.lookups").tag("result", "hit").functionCounter().count());
        assertEquals(3, registry.get("mythos.security.token.cache.lookups").tag("result", "miss").functionCounter().count());

        parser.unregister();
        assertTrue(registry.getMeters().isEmpty());
    }

    static JsonWebToken token(long iat, long exp) {
        return new FakeJwt(Map.of("iat", iat, "exp", exp));
    }

    private record FakeJwt(Map<String, Object> claims) implements JsonWebToken {
        @Override
        public String getName() {
            return "test";
        }

        @Override
        public Set<String> getClaimNames() {
            return claims.keySet();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claimName) {
            return (T) claims.get(claimName);
        }
    }

    private static final class MutableClock extends Clock {
        volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
