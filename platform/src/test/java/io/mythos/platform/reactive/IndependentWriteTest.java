package io.mythos.platform.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class IndependentWriteTest {

    @Test
    void aCancelledCallerDoesNotCancelTheWrite() throws Exception {
        CompletableFuture<String> commit = new CompletableFuture<>();
        AtomicBoolean writeCancelled = new AtomicBoolean();
        Uni<String> write = Uni.createFrom().completionStage(commit).onCancellation().invoke(() -> writeCancelled.set(true));

        Cancellable answer = IndependentWrite.run(() -> write).subscribe().with(ignored -> { });
        answer.cancel(); // the client hung up
        commit.complete("committed");

        assertFalse(writeCancelled.get(), "the write must go on after the caller cancelled");
    }

    @Test
    void theCallerGetsTheResultOrTheFailure() {
        assertEquals("stored", IndependentWrite.run(() -> Uni.createFrom().item("stored")).await().indefinitely());
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        IndependentWrite.run(() -> Uni.createFrom().failure(new IllegalStateException("rolled back")))
                .subscribe().with(ignored -> { }, failure::complete);
        assertEquals("rolled back", failure.join().getMessage());
    }

    @Test
    void anExceptionWhileBuildingTheWriteFailsTheAnswerInsteadOfEscaping() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        IndependentWrite.<String>run(() -> {
            throw new IllegalArgumentException("bad column");
        }).subscribe().with(ignored -> { }, failure::complete);
        assertTrue(failure.get(1, TimeUnit.SECONDS) instanceof IllegalArgumentException);
    }
}
