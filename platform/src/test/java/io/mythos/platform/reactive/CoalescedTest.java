package io.mythos.platform.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CoalescedTest {

    /** Runs that end when the test says so; each one numbered. */
    private final List<CompletableFuture<String>> runs = new ArrayList<>();
    private final Coalesced<String> refresh = new Coalesced<>(() -> {
        CompletableFuture<String> run = new CompletableFuture<>();
        runs.add(run);
        return Uni.createFrom().completionStage(run);
    });

    private AtomicReference<Object> ask() {
        AtomicReference<Object> answer = new AtomicReference<>();
        refresh.run().subscribe().with(answer::set, answer::set);
        return answer;
    }

    @Test
    void callersDuringARunShareTheNextOneAndNeverGetAnEarlierRunsResult() {
        AtomicReference<Object> first = ask();
        assertEquals(1, runs.size(), "the first caller starts a run at once");
        AtomicReference<Object> second = ask();
        AtomicReference<Object> third = ask();
        assertEquals(1, runs.size(), "no second run while the first is under way");

        runs.get(0).complete("run 1");
        assertEquals("run 1", first.get());
        assertNull(second.get(), "run 1 started before the second caller asked: its result is not the second's");
        assertEquals(2, runs.size(), "the callers that waited start one run together");

        runs.get(1).complete("run 2");
        assertEquals("run 2", second.get());
        assertEquals("run 2", third.get());
        assertEquals(2, runs.size());

        ask();
        assertEquals(3, runs.size(), "an idle refresh runs at once again");
    }

    @Test
    void aFailedRunFailsItsOwnCallersOnlyAndTheNextRunStillHappens() {
        AtomicReference<Object> first = ask();
        AtomicReference<Object> second = ask();
        runs.get(0).completeExceptionally(new IllegalStateException("database down"));
        assertEquals("database down", ((Throwable) first.get()).getMessage());
        assertNull(second.get());
        runs.get(1).complete("run 2");
        assertEquals("run 2", second.get());
        assertFalse(second.get() instanceof Throwable);
    }
}
