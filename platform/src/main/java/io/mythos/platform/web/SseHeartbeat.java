package io.mythos.platform.web;

import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps a server-sent-event stream alive and its dead subscribers noticed: every
 * {@code mythos.http.sse-heartbeat-interval} (15 s by default) a comment line ({@code : heartbeat}),
 * which every SSE client ignores, is written to the connection. Writing to a connection whose peer has
 * gone fails it, and the stream's subscription ends with it, where a stream on a quiet map would
 * otherwise keep a dead subscriber forever. Proxies that close idle connections see traffic too.
 * <p>
 * The comment is written straight to the HTTP response, as one buffer, between whole events: Quarkus
 * REST writes each event as one buffer as well, and Vert.x keeps a connection's writes in order.
 */
@ApplicationScoped
public class SseHeartbeat {

    static final Buffer COMMENT = Buffer.buffer(": heartbeat\n\n");

    private final Vertx vertx;
    private final long intervalMs;

    SseHeartbeat(Vertx vertx, @ConfigProperty(name = "mythos.http.sse-heartbeat-interval", defaultValue = "PT15S") Duration interval) {
        this.vertx = vertx;
        this.intervalMs = Math.max(10, interval.toMillis());
    }

    /** The events of {@code events}, with a heartbeat on {@code response} while they are subscribed. */
    public <T> Multi<T> attach(HttpServerResponse response, Multi<T> events) {
        AtomicLong timer = new AtomicLong(-1);
        return events
                .onSubscription().invoke(s -> timer.set(vertx.setPeriodic(intervalMs, id -> beat(response, id))))
                .onTermination().invoke(() -> vertx.cancelTimer(timer.get()));
    }

    private void beat(HttpServerResponse response, long timerId) {
        if (response.closed() || response.ended()) {
            vertx.cancelTimer(timerId);
            return;
        }
        if (response.headWritten()) { // before the stream's headers, a write would send the wrong ones
            try {
                response.write(COMMENT);
            } catch (IllegalStateException closedMeanwhile) {
                vertx.cancelTimer(timerId);
            }
        }
    }
}
