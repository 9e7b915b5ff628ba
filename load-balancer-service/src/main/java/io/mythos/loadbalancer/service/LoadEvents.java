package io.mythos.loadbalancer.service;

import io.mythos.common.load.LoadEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The change feed behind {@code GET /system/load/stream}: one hot processor, each SSE connection a
 * subscriber. A subscriber that disconnects cancels and is dropped by the processor; a slow one loses
 * intermediate events (only the latest metrics matter) instead of failing.
 */
@ApplicationScoped
public class LoadEvents {

    private final BroadcastProcessor<LoadEvent> processor = BroadcastProcessor.create();
    private final BalancerMetrics metrics;

    public LoadEvents(BalancerMetrics metrics) {
        this.metrics = metrics;
    }

    public Multi<LoadEvent> stream() {
        return processor.onOverflow().drop()
                .onSubscription().invoke(s -> metrics.streamOpened())
                .onTermination().invoke(metrics::streamClosed);
    }

    synchronized void publish(LoadEvent event) {
        processor.onNext(event);
    }
}
