package io.mythos.common.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers an announced body over the limit with problem+json before anything reads it. Vert.x
 * enforces {@code quarkus.http.limits.max-body-size} too, but with a bare 413; this route runs first
 * so that clients get the same error contract as for every other mistake.
 */
@Singleton
public class BodyLimit {

    @ConfigProperty(name = "mythos.max-body-bytes", defaultValue = "1048576")
    long maxBodyBytes;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLarge(length)) {
                Problem p = new Problem("about:blank", "Payload Too Large", 413,
                        "The request body is larger than the limit of " + maxBodyBytes + " bytes", null);
                ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(Json.encode(p));
                return;
            }
            ctx.next();
        });
    }

    private boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed Content-Length itself
        }
    }
}
