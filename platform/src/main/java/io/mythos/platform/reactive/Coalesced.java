package io.mythos.platform.reactive;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A refresh that many callers ask for at once, run for them together: at most one run at a time, and the
 * callers that ask while one is under way share the next one, which starts when it ends. Each caller gets
 * the result of a run that started after it asked, so what it changed before asking is in that result,
 * as if it had run the refresh itself; under load, N concurrent askers cost two runs, not N (the daemon's
 * read of every zone after each recovery, for its gauges).
 * <p>
 * A run is subscribed on its own (a caller that hangs up only loses the answer, as with
 * {@link IndependentWrite}), and each caller is answered on its own Vert.x context.
 */
public final class Coalesced<T> {

    private record Waiter<T>(Context context, io.smallrye.mutiny.subscription.UniEmitter<? super T> emitter) {
    }

    private final Supplier<Uni<T>> work;
    private boolean running;
    private List<Waiter<T>> next = new ArrayList<>();

    public Coalesced(Supplier<Uni<T>> work) {
        this.work = work;
    }

    /** The result of a run that starts after this call: the one about to start, or the next after the current. */
    public Uni<T> run() {
        return Uni.createFrom().emitter(em -> {
            List<Waiter<T>> start = null;
            synchronized (this) {
                next.add(new Waiter<>(Vertx.currentContext(), em));
                if (!running) {
                    running = true;
                    start = next;
                    next = new ArrayList<>();
                }
            }
            if (start != null) {
                launch(start);
            }
        });
    }

    private void launch(List<Waiter<T>> waiters) {
        Uni.createFrom().<T>deferred(work::get).subscribe().with(
                item -> {
                    waiters.forEach(w -> resume(w.context(), () -> w.emitter().complete(item)));
                    finished();
                },
                failure -> {
                    waiters.forEach(w -> resume(w.context(), () -> w.emitter().fail(failure)));
                    finished();
                });
    }

    private void finished() {
        List<Waiter<T>> start;
        synchronized (this) {
            if (next.isEmpty()) {
                running = false;
                return;
            }
            start = next;
            next = new ArrayList<>();
        }
        launch(start);
    }

    private static void resume(Context caller, Runnable answer) {
        if (caller != null && Vertx.currentContext() != caller) {
            caller.runOnContext(v -> answer.run());
        } else {
            answer.run();
        }
    }
}
