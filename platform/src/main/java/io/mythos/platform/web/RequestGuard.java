package io.mythos.platform.web;

import io.mythos.common.web.Problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks that run before any resource, answering in problem+json like every other mistake:
 * an announced body over the limit (Vert.x enforces {@code quarkus.http.limits.max-body-size} too,
 * but with a bare 413; a chunked body, which announces no length, meets that backstop, whose 413 is
 * turned into the same problem here), and a NUL character in the URI (PostgreSQL cannot store or compare it, so
 * an id like {@code %00} would otherwise surface as a database error).
 */
@Singleton
public class RequestGuard {

    private final long maxBodyBytes;
    private final io.vertx.ext.web.handler.BodyHandler chunkedBodies;

    /** The one body limit is Quarkus' own, so that this check and Vert.x's backstop always agree. */
    RequestGuard(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.chunkedBodies = io.vertx.ext.web.handler.BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLarge(length)) {
                reject(ctx, tooLargeProblem());
                return;
            }
            String uri = ctx.request().uri();
            if (uri.contains("%00") || uri.indexOf('\u0000') >= 0) {
                reject(ctx, new Problem("about:blank", "Bad Request", 400,
                        "The request URI must not contain the NUL character (%00)", null));
                return;
            }
            if (length == null && chunked(ctx)) {
                // A chunked body announces no length: it is read here, up to the limit, so that
                // one over it fails with 413 (answered as a problem below) instead of Quarkus' bare 413. The
                // body is then already read, and Quarkus REST takes it from the routing context.
                chunkedBodies.handle(ctx);
                return;
            }
            ctx.next();
        });
        // a chunked body over the limit: the body handler above fails the request with 413
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                reject(ctx, tooLargeProblem());
            } else {
                ctx.next();
            }
        });
    }

    /** A body sent in chunks (HTTP/1.1 Transfer-Encoding: chunked): the only body that announces no length. */
    private static boolean chunked(RoutingContext ctx) {
        String te = ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        return te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    private Problem tooLargeProblem() {
        return new Problem("about:blank", "Payload Too Large", 413,
                "The request body is larger than the limit of " + maxBodyBytes + " bytes", null);
    }

    private static void reject(RoutingContext ctx, Problem p) {
        ctx.response().setStatusCode(p.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(p));
    }

    private boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed Content-Length itself
        }
    }
}
