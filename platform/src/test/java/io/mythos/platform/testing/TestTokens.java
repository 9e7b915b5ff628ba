package io.mythos.platform.testing;

import io.mythos.platform.testing.TestKeys;
import io.smallrye.jwt.build.Jwt;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** Bearer tokens for tests, signed with this JVM's {@link TestKeys} (the ones the test applications trust). */
public final class TestTokens {

    public static final String ISSUER = "mythos";

    private TestTokens() {
    }

    /** What the tests send by default ({@link DefaultToken}): may do everything. */
    public static String operator() {
        // long enough for a benchmark run; the test applications restart far more often
        return sign("test-operator", ISSUER, Instant.now(), Duration.ofHours(2), TestKeys.privateKey(), "operator");
    }

    /** The Authorization header's value of an operator, for tests that send requests without REST-assured. */
    public static String authorization() {
        return "Bearer " + operator();
    }

    /** A valid token for {@code subject} with these roles (none: a token that may do nothing). */
    public static String of(String subject, String... roles) {
        return sign(subject, ISSUER, Instant.now(), Duration.ofMinutes(10), TestKeys.privateKey(), roles);
    }

    public static String expired(String... roles) {
        return sign("test-expired", ISSUER, Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(5),
                TestKeys.privateKey(), roles);
    }

    public static String wrongIssuer(String... roles) {
        return sign("test-other-issuer", "someone-else", Instant.now(), Duration.ofMinutes(10), TestKeys.privateKey(), roles);
    }

    public static String signedByAnotherKey(String... roles) {
        return sign("test-other-key", ISSUER, Instant.now(), Duration.ofMinutes(10), TestKeys.another().getPrivate(), roles);
    }

    public static String sign(String subject, String issuer, Instant issuedAt, Duration ttl, PrivateKey key, String... roles) {
        return Jwt.issuer(issuer).subject(subject).upn(subject).groups(Set.of(roles))
                .issuedAt(issuedAt).expiresAt(issuedAt.plus(ttl)).sign(key);
    }
}
