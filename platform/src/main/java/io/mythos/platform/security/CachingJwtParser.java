package io.mythos.platform.security;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The {@link JWTParser} that quarkus-smallrye-jwt's {@code MpJwtValidator} verifies every bearer token with,
 * remembering the tokens it accepted ({@link VerifiedTokens}): the same peer and client tokens arrive again and
 * again, and verifying one (parse and RSA signature) cost 10-23 % of a service's CPU under load. Selected over the
 * extension's {@link DefaultJWTParser} bean for injection points of type {@code JWTParser} as an enabled
 * alternative; that bean is what it delegates to, so the verification itself is unchanged. Only
 * {@link #parse(String)}, the validator's call, is cached; the other methods verify with other keys or settings.
 * A kept token stays accepted until its expiry even if its key is withdrawn from a JWKS meanwhile.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser implements JWTParser {

    /** Peer tokens are a few per service and live minutes; a few thousand leave room for many clients. */
    static final int CAPACITY = 2048;

    private final DefaultJWTParser delegate;
    private final VerifiedTokens verified;
    private final MeterRegistry registry;
    private final List<Meter> meters;

    CachingJwtParser(DefaultJWTParser delegate, JWTAuthContextInfo settings, MeterRegistry registry) {
        this.delegate = delegate;
        // the skew the verifier allows past exp: smallrye's grace period if set, else mp.jwt.verify.clock.skew
        int skew = settings.getExpGracePeriodSecs() > 0 ? settings.getExpGracePeriodSecs() : settings.getClockSkew();
        this.verified = new VerifiedTokens(CAPACITY, skew, settings.getTokenAge(), Clock.systemUTC());
        this.registry = registry;
        String name = "mythos.security.token.cache.lookups";
        String what = "Bearer tokens looked up among those already verified (a miss is verified in full)";
        this.meters = List.of(
                FunctionCounter.builder(name, verified, VerifiedTokens::hits).tag("result", "hit").description(what)
                        .register(registry),
                FunctionCounter.builder(name, verified, VerifiedTokens::misses).tag("result", "miss").description(what)
                        .register(registry),
                Gauge.builder("mythos.security.token.cache.size", verified, VerifiedTokens::size)
                        .description("Verified bearer tokens kept, at most " + CAPACITY).register(registry));
    }

    /** A registry can outlive this bean (tests restart the application in one JVM). */
    @PreDestroy
    void unregister() {
        meters.forEach(registry::remove);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        if (token == null) {
            return delegate.parse(token);
        }
        JsonWebToken known = verified.get(token);
        if (known != null) {
            return known;
        }
        JsonWebToken jwt = delegate.parse(token); // a refused token throws here, so it is never kept
        verified.put(token, jwt);
        return jwt;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }
}
