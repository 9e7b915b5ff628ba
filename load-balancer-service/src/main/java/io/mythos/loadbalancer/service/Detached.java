package io.mythos.loadbalancer.service;

import io.smallrye.mutiny.Uni;

/**
 * Runs a write independently of the HTTP request that asked for it: a client that disconnects cancels
 * the request's Uni, and cancelling a transaction half-way can leak its pooled connection (STYLE.md,
 * pitfall 9). The write goes on to commit or roll back; only the answer is dropped.
 */
final class Detached {

    private Detached() {
    }

    static <T> Uni<T> run(Uni<T> work) {
        return Uni.createFrom().emitter(em -> work.subscribe().with(em::complete, em::fail));
    }
}
