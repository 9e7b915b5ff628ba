package io.mythos.platform.reactive;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs a write that must happen once accepted independently of the HTTP request that asked for it.
 * A client that disconnects cancels the request's {@code Uni}; cancelling a transaction half-way can
 * leak its pooled connection (STYLE.md, pitfall 9; quarkus#51576). Here the write is subscribed on its
 * own and goes on to commit or roll back; a cancelled caller only loses the answer.
 */
public final class IndependentWrite {

    private IndependentWrite() {
    }

    /**
     * Subscribes to the write at once (the supplier is called inside the subscription, so that an
     * exception thrown while building the write fails the answer instead of escaping) and answers on
     * the caller's Vert.x context, where the request's own work goes on.
     */
    public static <T> Uni<T> run(Supplier<Uni<? extends T>> write) {
        Context caller = Vertx.currentContext();
        return Uni.createFrom().emitter(em -> Uni.createFrom().<T>deferred(write).subscribe().with(
                result -> resume(caller, () -> em.complete(result)),
                failure -> resume(caller, () -> em.fail(failure))));
    }

    private static void resume(Context caller, Runnable answer) {
        if (caller != null && Vertx.currentContext() != caller) {
            caller.runOnContext(v -> answer.run());
        } else {
            answer.run();
        }
    }
}
