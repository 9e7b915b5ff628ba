package io.mythos.platform.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.mythos.platform.testing.TestKeys;
import io.mythos.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache on the real request path: {@code MpJwtValidator} gets {@link CachingJwtParser}, a
 * repeated token is verified once, and an expired, tampered or foreign token is still refused. The skew is 1 s
 * here, so that a cached token's expiry is seen in seconds.
 */
@QuarkusTest
@TestProfile(TokenCacheTest.OneSecondSkew.class)
class TokenCacheTest {

    private static final Logger LOG = Logger.getLogger(TokenCacheTest.class);
    private static final String ROUTE = "/test/probe/ok";

    public static class OneSecondSkew implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.jwt.verify.clock.skew", "1");
        }
    }

    @Inject
    MeterRegistry registry;

    @Inject
    JWTParser parser;

    @Inject
    DefaultJWTParser defaultParser;

    @Test
    void theParserBeanIsTheCachingOne() {
        assertInstanceOf(CachingJwtParser.class, parser);
    }

    @Test
    void theSameTokenTwiceIsVerifiedOnce() {
        String token = TestTokens.of("cache-same", Roles.VIEWER);
        Counts before = counts();
        accepted(token);
        accepted(token);
        assertEquals(before.plus(1, 1), counts(), "one verification (miss), then one hit");
    }

    @Test
    void aCachedTokenIsRefusedOnceItsExpAndTheSkewHavePassed() throws InterruptedException {
        Instant issued = Instant.now();
        String token = TestTokens.sign("cache-short", TestTokens.ISSUER, issued, Duration.ofSeconds(3),
                TestKeys.privateKey(), Roles.VIEWER);
        accepted(token);
        Counts cached = counts();
        accepted(token);
        assertEquals(cached.plus(1, 0), counts(), "a hit while valid");

        long refusedFrom = (issued.plusSeconds(3).getEpochSecond() + 1) * 1000; // exp + 1 s skew
        Thread.sleep(Math.max(0, refusedFrom - System.currentTimeMillis()) + 200);
        Counts expired = counts();
        refused(token);
        assertEquals(expired.plus(0, 1), counts(), "past exp + skew: a miss, verified again and refused");
        refused(token);
        assertEquals(expired.plus(0, 2), counts(), "and the refusal is not kept either");
    }

    @Test
    void aTamperedSignatureAfterTheValidTokenWasCachedIsRefused() {
        String token = TestTokens.of("cache-tamper", Roles.VIEWER);
        accepted(token);
        String tampered = tamperLastCharacter(token);
        assertNotEquals(token, tampered);

        Counts before = counts();
        refused(tampered);
        assertEquals(before.plus(0, 1), counts(), "another text is a miss, verified in full");
        accepted(token);
        assertEquals(before.plus(1, 1), counts(), "the valid token is still a hit");
    }

    @Test
    void foreignTokensAreRefusedEveryTimeWhileAValidOneIsCached() {
        accepted(TestTokens.of("cache-foreign", Roles.VIEWER));
        for (String token : new String[] {TestTokens.wrongIssuer(Roles.VIEWER), TestTokens.signedByAnotherKey(Roles.VIEWER),
                TestTokens.expired(Roles.VIEWER)}) {
            Counts before = counts();
            refused(token);
            refused(token);
            assertEquals(before.plus(0, 2), counts(), "a refused token is never kept");
        }
    }

    /** Not an assertion: what a hit saves, in this JVM (JIT-warm enough to compare, not a benchmark). */
    @Test
    void logsTheCostOfAFullVerificationAndOfAHit() throws Exception {
        String token = TestTokens.of("cache-timing", Roles.VIEWER);
        int n = 2000;
        for (int i = 0; i < n; i++) {
            defaultParser.parse(token);
            parser.parse(token);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            defaultParser.parse(token);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            parser.parse(token);
        }
        long t2 = System.nanoTime();
        LOG.infof("bearer token: full verification %.1f µs, cache hit %.2f µs per call (%d calls each)",
                (t1 - t0) / 1000.0 / n, (t2 - t1) / 1000.0 / n, n);
    }

    /**
     * The last character of the signature changed to one that differs in its first bit: the last base64url
     * character of an RSA-2048 signature carries only two bits, and a change in its four unused bits alone would
     * decode to the same signature.
     */
    private static String tamperLastCharacter(String token) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        char other = alphabet.charAt(alphabet.indexOf(last) ^ 32);
        return token.substring(0, token.length() - 1) + other;
    }

    private static void accepted(String token) {
        given().auth().oauth2(token).get(ROUTE).then().statusCode(200);
    }

    private static void refused(String token) {
        given().auth().oauth2(token).get(ROUTE).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
    }

    private Counts counts() {
        return new Counts(lookups("hit"), lookups("miss"));
    }

    private long lookups(String result) {
        return (long) registry.get("mythos.security.token.cache.lookups").tag("result", result).functionCounter().count();
    }

    private record Counts(long hits, long misses) {
        Counts plus(long moreHits, long moreMisses) {
            return new Counts(hits + moreHits, misses + moreMisses);
        }
    }
}
