package io.mythos.daemon.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The recover route's recoveries of one zone, in this instance: one at a time, in arrival order, and
 * coalesced. Twenty requests for one zone used to queue on its database lock, each holding a pooled
 * connection, until the later ones gave up (issue 12). Here they wait in memory, and a request whose turn
 * comes after a recovery of its zone that <em>started after it arrived</em> takes that recovery's answer
 * instead of recovering again: that recovery read the zone as it was when the request was already there,
 * which is what the request asked for. So a burst of requests costs at most two recoveries (the one
 * running when they arrive, and one for all of them), and each still gets a recovery no older than itself.
 * <p>
 * A request waits for its turn at most the time given; then it is told the zone is busy. Only zones with
 * a request in flight are kept, so the memory this takes is bounded by the requests in flight.
 */
final class ZoneTurns {

    /** The answer of a recovery that ran, and the number it started as (its zone's runs count from 1). */
    record Ran(long run, String body) {
    }

    private final Vertx vertx;
    private final Map<String, Zone> zones = new HashMap<>(); // guarded by itself

    ZoneTurns(Vertx vertx) {
        this.vertx = vertx;
    }

    private static final class Zone {
        long started;
        Ran last;
        boolean held;
        final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    }

    private static final class Waiter {
        final UniEmitter<? super Turn> emitter;
        final Context context;
        final Turn turn;
        long timer = -1;

        Waiter(UniEmitter<? super Turn> emitter, Context context, Turn turn) {
            this.emitter = emitter;
            this.context = context;
            this.turn = turn;
        }
    }

    /** A request's hold on its zone, once granted; {@link #release} exactly once. */
    final class Turn {
        private final String zone;
        private final long arrivedAfter;
        private long run;
        private boolean released;

        private Turn(String zone, long arrivedAfter) {
            this.zone = zone;
            this.arrivedAfter = arrivedAfter;
        }

        /** The answer of a recovery of the zone that started after this request arrived, or null. */
        String ranSinceArrival() {
            synchronized (zones) {
                Ran last = zones.get(zone).last;
                return last != null && last.run() > arrivedAfter ? last.body() : null;
            }
        }

        /** This request recovers the zone itself now. */
        void starting() {
            synchronized (zones) {
                run = ++zones.get(zone).started;
            }
        }

        /** What the recovery this request ran answered, for the requests waiting behind it. */
        void ran(String body) {
            synchronized (zones) {
                zones.get(zone).last = new Ran(run, body);
            }
        }

        /** Gives the zone to the next request waiting for it, if any. */
        void release() {
            Waiter next;
            synchronized (zones) {
                if (released) {
                    return;
                }
                released = true;
                Zone z = zones.get(zone);
                next = z.waiters.poll();
                if (next == null) {
                    zones.remove(zone);
                    return;
                }
                if (next.timer >= 0) {
                    vertx.cancelTimer(next.timer);
                }
            }
            Waiter granted = next;
            resume(granted.context, () -> granted.emitter.complete(granted.turn));
        }
    }

    /**
     * The zone's turn, once the requests before this one have had theirs, or {@code busy}'s failure when
     * it does not come within {@code wait}. Answers on the caller's Vert.x context.
     */
    Uni<Turn> take(String zone, Duration wait, Supplier<? extends RuntimeException> busy) {
        return Uni.createFrom().emitter(em -> {
            Context context = Vertx.currentContext();
            Turn turn;
            synchronized (zones) {
                Zone z = zones.computeIfAbsent(zone, k -> new Zone());
                turn = new Turn(zone, z.started);
                if (z.held) {
                    Waiter waiter = new Waiter(em, context, turn);
                    z.waiters.add(waiter);
                    waiter.timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> giveUp(z, waiter, busy));
                    return;
                }
                z.held = true;
            }
            em.complete(turn);
        });
    }

    private void giveUp(Zone z, Waiter waiter, Supplier<? extends RuntimeException> busy) {
        synchronized (zones) {
            if (!z.waiters.remove(waiter)) {
                return; // granted meanwhile
            }
        }
        resume(waiter.context, () -> waiter.emitter.fail(busy.get()));
    }

    /** Zones with a request in flight (for tests: nothing stays behind). */
    int zonesInFlight() {
        synchronized (zones) {
            return zones.size();
        }
    }

    private static void resume(Context context, Runnable action) {
        if (context != null && Vertx.currentContext() != context) {
            context.runOnContext(v -> action.run());
        } else {
            action.run();
        }
    }
}
