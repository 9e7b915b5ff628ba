package io.mythos.platform.security;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, as a resource needs to know it (the token's subject). */
public final class Caller {

    private Caller() {
    }

    /** The token's {@code sub}, or the principal's name for a token without one; null when anonymous. */
    public static String subject(SecurityContext context) {
        Principal p = context == null ? null : context.getUserPrincipal();
        if (p == null) {
            return null;
        }
        if (p instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            return jwt.getSubject();
        }
        return p.getName();
    }
}
