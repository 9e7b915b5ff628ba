package io.mythos.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.platform.testing.TestKeys;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class ServiceTokensTest {

    private final KeyPair keys = TestKeys.another();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now.get(); }
    };

    @Test
    void aServiceTokenIsShortLivedSignedAndCarriesTheServiceRole() throws Exception {
        ServiceTokens tokens = new ServiceTokens(Optional.of(keys.getPrivate()), Optional.empty(), "mythos", "healing-service",
                Duration.ofMinutes(5), clock);
        JsonWebToken jwt = parse(tokens.token().orElseThrow());
        assertEquals("mythos", jwt.getIssuer());
        assertEquals("healing-service", jwt.getSubject());
        assertEquals(java.util.Set.of("service"), jwt.getGroups());
        assertEquals(300, jwt.getExpirationTime() - jwt.getIssuedAtTime());
    }

    @Test
    void theTokenIsReusedUntilAFifthOfItsLifeIsLeftThenRenewed() {
        ServiceTokens tokens = new ServiceTokens(Optional.of(keys.getPrivate()), Optional.empty(), "mythos", "s",
                Duration.ofMinutes(5), clock);
        String first = tokens.token().orElseThrow();
        now.set(now.get().plusSeconds(239));
        assertEquals(first, tokens.token().orElseThrow(), "cached while more than a fifth of its life is left");
        now.set(now.get().plusSeconds(1));
        String renewed = tokens.token().orElseThrow();
        assertNotEquals(first, renewed, "renewed 60 s before it expires");
        assertEquals(renewed, tokens.token().orElseThrow());
    }

    @Test
    void withoutASigningKeyTheFixedTokenIsSentAndWithNeitherNone() {
        assertEquals(Optional.of("fixed"), new ServiceTokens(Optional.empty(), Optional.of("fixed"), "mythos", "s",
                Duration.ofMinutes(5), clock).token());
        assertTrue(new ServiceTokens(Optional.empty(), Optional.empty(), "mythos", "s", Duration.ofMinutes(5), clock)
                .token().isEmpty());
    }

    @Test
    void aLifeitimeOverFiveMinutesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ServiceTokens(Optional.of(keys.getPrivate()), Optional.empty(),
                "mythos", "s", Duration.ofMinutes(6), clock));
    }

    private JsonWebToken parse(String token) throws Exception {
        JWTAuthContextInfo info = new JWTAuthContextInfo((RSAPublicKey) keys.getPublic(), "mythos");
        return new DefaultJWTParser(info).parse(token);
    }

    @Test
    void theSigningKeyIsReadFromAPathOrAFileUrlAndAnUnreadableOneIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        TestKeys.write(keys, dir);
        java.nio.file.Path pem = dir.resolve("privateKey.pem");
        assertEquals(keys.getPrivate(), ServiceTokens.readKey(pem.toString()));
        assertEquals(keys.getPrivate(), ServiceTokens.readKey("file:" + pem));
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> ServiceTokens.readKey(dir.resolve("nope.pem").toString()));
        assertTrue(missing.getMessage().contains("nope.pem") && missing.getMessage().contains("SMALLRYE_JWT_SIGN_KEY_LOCATION"));
    }
}
