package io.mythos.platform.reactive;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * CPU work that can take more than a millisecond leaves the event loop (DESIGN.md "Limits and
 * isolation": a zone's consensus over hundreds of replicas and thousands of beliefs): it runs on a worker
 * thread through the caller's Vert.x context, and its result comes back on that context, so that the
 * caller's reactive SQL connection or transaction goes on where it was. Small work runs in place (a hop
 * costs more than it saves).
 */
public final class Offload {

    private Offload() {
    }

    /**
     * Runs {@code work} on a worker thread when {@code size} (the caller's measure of the work, e.g. the
     * number of values it touches) is at least {@code threshold} and the caller is on a Vert.x event loop;
     * in place otherwise.
     */
    public static <T> Uni<T> ifLarge(long size, long threshold, Supplier<T> work) {
        Context context = Vertx.currentContext();
        if (size < threshold || context == null || !Context.isOnEventLoopThread()) {
            return Uni.createFrom().item(work);
        }
        return Uni.createFrom().completionStage(() -> context.<T>executeBlocking(work::get, false).toCompletionStage());
    }
}
