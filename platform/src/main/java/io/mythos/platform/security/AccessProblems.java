package io.mythos.platform.security;

import io.mythos.common.web.Problem;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 and 403 as problem+json like every other error. Authentication is lazy
 * ({@code quarkus.http.auth.proactive=false}): it runs when a secured resource asks for the caller, so
 * its failures reach these mappers, and an open route ({@code /q/health/*}, ...) never looks at a token.
 */
public class AccessProblems {

    private static final Logger LOG = Logger.getLogger(AccessProblems.class);

    /** No token on a secured route. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return challenge("Bearer", "This route needs a bearer token: send Authorization: Bearer <token>");
    }

    /** A token that is not valid: bad signature, wrong issuer, expired, or not a JWT at all. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        // why exactly is for the log (debug: a probe must not learn which check failed), not for the answer
        LOG.debugf(e, "bearer token refused");
        return challenge("Bearer error=\"invalid_token\"",
                "The bearer token was not accepted: it is malformed, expired, of another issuer or not signed by a trusted key");
    }

    /** A valid token whose roles do not include one this route needs. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Response.status(403).type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", "Forbidden", 403,
                        "The token's roles do not allow this request", null))
                .build();
    }

    private static Response challenge(String header, String detail) {
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, header)
                .entity(new Problem("about:blank", "Unauthorized", 401, detail, null))
                .build();
    }
}
