package io.mythos.healing.service;

import io.mythos.common.healing.SignalRequest;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.service.SignalWriter.RequestResult;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Group commit for signals: requests that arrive while {@code max-batches-in-flight} insert
 * transactions are running wait in a queue and are written together by the next one. Under load, one
 * transaction then carries many requests, which is how the service stores more signals per second
 * than PostgreSQL commits transactions.
 * <p>
 * The writes are subscribed here, not by the HTTP request: a client that disconnects cannot cancel a
 * transaction half-way (STYLE.md pitfall 9); its signals are stored all the same.
 */
@ApplicationScoped
public class SignalBatcher {

    private record Pending(List<SignalRequest> signals, CompletableFuture<RequestResult> done) {
    }

    private final SignalWriter writer;
    private final int maxInFlight;
    private final int maxSignals;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;

    public SignalBatcher(SignalWriter writer, HealingConfig config) {
        this.writer = writer;
        this.maxInFlight = config.ingest().maxBatchesInFlight();
        this.maxSignals = config.ingest().maxBatchSignals();
    }

    public Uni<RequestResult> submit(List<SignalRequest> signals) {
        CompletableFuture<RequestResult> done = new CompletableFuture<>();
        synchronized (queue) {
            queue.add(new Pending(signals, done));
        }
        flush();
        Context caller = Vertx.currentContext();
        // an emitter, not fromCompletionStage: cancelling the answer must not cancel the write
        return Uni.createFrom().emitter(em -> done.whenComplete((result, failure) -> {
            Runnable resume = () -> {
                if (failure != null) {
                    em.fail(failure);
                } else {
                    em.complete(result);
                }
            };
            if (caller != null) {
                caller.runOnContext(v -> resume.run()); // answer on the request's own context
            } else {
                resume.run();
            }
        }));
    }

    private void flush() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            synchronized (queue) {
                if (inFlight >= maxInFlight || queue.isEmpty()) {
                    return;
                }
                int size = 0;
                while (!queue.isEmpty() && (batch.isEmpty() || size + queue.peek().signals().size() <= maxSignals)) {
                    Pending p = queue.poll();
                    batch.add(p);
                    size += p.signals().size();
                }
                inFlight++;
            }
            // deferred: even an exception thrown while building the write must end in finished()
            Uni.createFrom().deferred(() -> writer.write(batch.stream().map(Pending::signals).toList())).subscribe().with(
                    results -> {
                        for (int i = 0; i < batch.size(); i++) {
                            batch.get(i).done().complete(results.get(i));
                        }
                        finished();
                    },
                    failure -> {
                        batch.forEach(p -> p.done().completeExceptionally(failure));
                        finished();
                    });
        }
    }

    private void finished() {
        synchronized (queue) {
            inFlight--;
        }
        flush();
    }
}
