package io.mythos.platform.idempotency;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An answer kept under an {@code Idempotency-Key}: its status and JSON body, and whether this is the
 * stored answer given again ({@code Idempotent-Replayed: true}) rather than the fresh one.
 *
 * @param replayed true when the work did not run now and this is the answer stored for the key
 * @param fresh what the work produced when it ran now (null for a replay): lets the caller do its
 *        after-commit work (metrics, notifications) only for a request that really ran
 */
public record IdempotentAnswer<T>(int status, String body, boolean replayed, T fresh) {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    public static <T> IdempotentAnswer<T> of(int status, String body, T fresh) {
        return new IdempotentAnswer<>(status, body, false, fresh);
    }

    /** The HTTP answer: the same status and body both times, the replay marked by its header. */
    public Response toResponse() {
        Response.ResponseBuilder r = Response.status(status).entity(body).type(MediaType.APPLICATION_JSON_TYPE);
        if (replayed) {
            r.header(REPLAYED_HEADER, "true");
        }
        return r.build();
    }
}
