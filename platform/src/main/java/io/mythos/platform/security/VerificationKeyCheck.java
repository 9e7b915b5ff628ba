package io.mythos.platform.security;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * A service without a key to verify tokens with refuses to start, saying what to set: there is no
 * "auth off" switch (DESIGN.md "Access control").
 */
@Singleton
public class VerificationKeyCheck {

    static final String LOCATION = "mp.jwt.verify.publickey.location";
    static final String INLINE = "mp.jwt.verify.publickey";

    void onStart(@Observes StartupEvent event, Config config) {
        Optional<String> problem = problem(config.getOptionalValue(LOCATION, String.class),
                config.getOptionalValue(INLINE, String.class));
        if (problem.isPresent()) {
            throw new MissingVerificationKey(problem.get());
        }
    }

    /** What is wrong with the configured verification key, if anything (a file that is not there). */
    static Optional<String> problem(Optional<String> location, Optional<String> inline) {
        if (inline.filter(s -> !s.isBlank()).isPresent()) {
            return Optional.empty();
        }
        if (location.filter(s -> !s.isBlank()).isEmpty()) {
            return Optional.of("No key to verify bearer tokens with: set MP_JWT_VERIFY_PUBLICKEY_LOCATION "
                    + "(mp.jwt.verify.publickey.location) to a PEM public key or a JWKS, as a file or a URL "
                    + "(bin/mythos up makes one in .mythos/keys/)");
        }
        String value = location.get().trim();
        boolean file = value.startsWith("/") || value.startsWith("file:");
        boolean relative = !value.contains(":") && !file; // smallrye-jwt looks for it on the class path, then as a file
        if (relative && Thread.currentThread().getContextClassLoader().getResource(value) == null
                && !Files.isReadable(Path.of(value))) {
            file = true;
        }
        if (file) {
            Path path = Path.of(value.startsWith("file:") ? value.substring("file:".length()) : value);
            if (!Files.isReadable(path)) {
                return Optional.of("The token verification key " + path + " (MP_JWT_VERIFY_PUBLICKEY_LOCATION) "
                        + "is not a readable file: point it at the PEM public key or JWKS");
            }
        }
        return Optional.empty();
    }

    /**
     * Carries the one-line message. A {@link ConfigurationException} is the one failure Quarkus reports at
     * start-up with its message alone on stderr, no "Failed to start" stack trace that would bury it.
     */
    static final class MissingVerificationKey extends ConfigurationException {
        MissingVerificationKey(String message) {
            super(message, Set.of(LOCATION));
        }
    }
}
