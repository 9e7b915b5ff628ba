package io.mythos.healing.service;

import io.mythos.common.healing.SignalRequest;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.engine.SignalBatch.Outcome;
import io.mythos.healing.service.SignalWriter.Written;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.web.ProblemException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
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
 * This class is the one place where signal writes are subscribed: a request only queues its signals
 * and waits for its outcome through {@link IndependentWrite}, so a client that hangs up cannot cancel
 * a transaction half-way (STYLE.md pitfall 9); its signals are stored all the same.
 * <p>
 * Isolation (DESIGN.md "Limits and isolation"): one client's request never fails another's. When a
 * batch of several requests fails, each of its requests is written again alone, ahead of the queue: the
 * one that cannot be stored fails by itself, and the others are stored and answered as usual.
 */
@ApplicationScoped
public class SignalBatcher {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(SignalBatcher.class);

    /** @param alone written in a transaction of its own (after its batch failed) */
    private record Pending(List<SignalRequest> signals, CompletableFuture<Outcome> done, boolean alone) {
    }

    private final SignalWriter writer;
    private final HealingMetrics metrics;
    private final RepairService repairs;
    private final HealingConfig config;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;
    private int queuedSignals;

    private final MeterRegistry registry;
    private final Gauge queuedGauge;

    public SignalBatcher(SignalWriter writer, HealingMetrics metrics, RepairService repairs, HealingConfig config,
                         MeterRegistry registry) {
        this.writer = writer;
        this.metrics = metrics;
        this.repairs = repairs;
        this.config = config;
        this.registry = registry;
        this.queuedGauge = Gauge.builder("mythos.healing.signals.queued", this, SignalBatcher::queued)
                .description("Signals waiting for a batch (bounded by mythos.healing.ingest.max-queued-signals)")
                .strongReference(true).register(registry);
    }

    /** A registry can outlive this bean (tests restart the application in one JVM). */
    @PreDestroy
    void unregister() {
        registry.remove(queuedGauge);
    }

    /**
     * Stores the request's signals with the next batch; answers once that batch has committed. The queue
     * is bounded ({@code mythos.healing.ingest.max-queued-signals}): a request that does not fit is refused
     * whole with a 503 and {@code Retry-After} (DESIGN.md "Limits and isolation"), nothing of it stored.
     */
    public Uni<Outcome> submit(List<SignalRequest> signals) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        synchronized (queue) {
            if (queuedSignals + signals.size() > config.ingest().maxQueuedSignals()) {
                metrics.signalsRefused(signals.size());
                return Uni.createFrom().failure(new ProblemException(503, "Service Unavailable",
                        "The signal queue is full (" + config.ingest().maxQueuedSignals()
                                + " signals waiting to be stored); nothing of this request was stored; retry shortly", null));
            }
            queue.add(new Pending(signals, done, false));
            queuedSignals += signals.size();
        }
        return IndependentWrite.run(() -> {
            flush();
            return Uni.createFrom().completionStage(done);
        });
    }

    /** Signals waiting in the queue for a batch (not those of the batches being written). */
    public int queued() {
        synchronized (queue) {
            return queuedSignals;
        }
    }

    private void flush() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            synchronized (queue) {
                if (inFlight >= config.ingest().maxBatchesInFlight() || queue.isEmpty()) {
                    return;
                }
                int size = 0;
                if (queue.peek().alone()) {
                    Pending p = queue.poll();
                    batch.add(p);
                    queuedSignals -= p.signals().size();
                }
                while (batch.isEmpty() || (!batch.get(0).alone() && !queue.isEmpty() && !queue.peek().alone()
                        && size + queue.peek().signals().size() <= config.ingest().maxBatchSignals())) {
                    Pending p = queue.poll();
                    batch.add(p);
                    size += p.signals().size();
                    queuedSignals -= p.signals().size();
                }
                inFlight++;
            }
            // deferred: even an exception thrown while building the write must end in finished()
            Uni.createFrom().deferred(() -> writer.write(batch.stream().map(Pending::signals).toList())).subscribe().with(
                    written -> {
                        afterCommit(written);
                        for (int i = 0; i < batch.size(); i++) {
                            batch.get(i).done().complete(written.outcomes().get(i));
                        }
                        finished();
                    },
                    failure -> {
                        if (batch.size() > 1) {
                            aloneAgain(batch, failure);
                        } else {
                            batch.forEach(p -> p.done().completeExceptionally(failure));
                        }
                        finished();
                    });
        }
    }

    /** A failed batch's requests, each to be written in a transaction of its own, first in line, in their order. */
    private void aloneAgain(List<Pending> batch, Throwable failure) {
        LOG.warnf("A batch of %d signal requests failed (%s); writing each of them alone", batch.size(), failure.getClass().getSimpleName());
        synchronized (queue) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                Pending p = batch.get(i);
                queue.addFirst(new Pending(p.signals(), p.done(), true));
                queuedSignals += p.signals().size();
            }
        }
    }

    private void afterCommit(Written written) {
        metrics.signalsStored(written.stored());
        written.opened().forEach(metrics::eventOpened);
        // every new event has actions; in dry run they are not to be run
        if (!written.opened().isEmpty() && !config.repair().dryRun()) {
            repairs.runDueInBackground();
        }
    }

    private void finished() {
        synchronized (queue) {
            inFlight--;
        }
        flush();
    }
}
