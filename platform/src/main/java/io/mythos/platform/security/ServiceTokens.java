package io.mythos.platform.security;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jakarta.inject.Singleton;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bearer token a service sends with its calls to a peer: a short-lived token with role
 * {@value Roles#SERVICE}, signed with the private key at {@code smallrye.jwt.sign.key.location}, minted
 * once and reused until a fifth of its life is left (then the next call mints a fresh one), so that a
 * call never carries a token about to expire and signing costs one RSA signature per few minutes. Where
 * no signing key is configured, the fixed {@code mythos.peers.token} (e.g. one issued by an external
 * identity provider); with neither, calls go out without a token and the peer answers 401, which the
 * caller reports as a final failure.
 */
@Startup // an unreadable signing key stops the start, with its message, rather than every peer call later
@Singleton
public class ServiceTokens {

    /** DESIGN.md: peer tokens live at most 5 minutes. */
    static final Duration MAX_TTL = Duration.ofMinutes(5);

    private final Optional<PrivateKey> signingKey;
    private final Optional<String> fixedToken;
    private final String issuer;
    private final String subject;
    private final Duration ttl;
    private final Clock clock;

    private volatile Minted current;

    @Inject
    ServiceTokens(@ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> keyLocation,
                  @ConfigProperty(name = "mythos.peers.token") Optional<String> fixedToken,
                  @ConfigProperty(name = "mp.jwt.verify.issuer", defaultValue = "mythos") String issuer,
                  @ConfigProperty(name = "quarkus.application.name") String subject,
                  @ConfigProperty(name = "mythos.peers.token-ttl", defaultValue = "PT5M") Duration ttl) {
        this(keyLocation.filter(s -> !s.isBlank()).map(ServiceTokens::readKey), fixedToken.filter(s -> !s.isBlank()),
                issuer, subject, ttl, Clock.systemUTC());
    }

    ServiceTokens(Optional<PrivateKey> signingKey, Optional<String> fixedToken, String issuer, String subject,
                  Duration ttl, Clock clock) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("mythos.peers.token-ttl must be positive and at most " + MAX_TTL + ", not " + ttl);
        }
        this.signingKey = signingKey;
        this.fixedToken = fixedToken;
        this.issuer = issuer;
        this.subject = subject;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The token to send now, if the service has a way to make one. */
    public Optional<String> token() {
        if (signingKey.isEmpty()) {
            return fixedToken;
        }
        Instant now = clock.instant();
        Minted m = current;
        if (m == null || !now.isBefore(m.renewAt)) {
            m = mint(now); // two threads may both mint at the renewal instant: harmless, the last one is kept
            current = m;
        }
        return Optional.of(m.token);
    }

    private Minted mint(Instant now) {
        Instant expires = now.plus(ttl);
        String token = Jwt.issuer(issuer).subject(subject).upn(subject).groups(Roles.SERVICE)
                .issuedAt(now).expiresAt(expires).sign(signingKey.orElseThrow());
        return new Minted(token, expires.minus(ttl.dividedBy(5)));
    }

    /** A file (a path, or file:...) or a class-path resource (classpath:... or a relative name found there). */
    static PrivateKey readKey(String location) {
        String where = location.trim();
        try {
            String pem;
            Path file = Path.of(where.startsWith("file:") ? where.substring("file:".length()) : where);
            if (!where.startsWith("classpath:") && Files.isReadable(file)) {
                pem = Files.readString(file);
            } else {
                String name = where.startsWith("classpath:") ? where.substring("classpath:".length()) : where;
                try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name.replaceFirst("^/", ""))) {
                    if (in == null) {
                        throw new IllegalStateException("not found");
                    }
                    pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                }
            }
            return KeyUtils.decodePrivateKey(pem);
        } catch (Exception e) {
            throw new IllegalStateException("The service-token signing key " + location
                    + " (SMALLRYE_JWT_SIGN_KEY_LOCATION) cannot be read as a PKCS#8 PEM private key");
        }
    }

    private record Minted(String token, Instant renewAt) {
    }
}
