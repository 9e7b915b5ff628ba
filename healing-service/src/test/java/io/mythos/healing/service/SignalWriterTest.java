package io.mythos.healing.service;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.signalsOf;
import static io.mythos.healing.support.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mythos.common.healing.SignalKind;
import io.mythos.common.healing.SignalRequest;
import io.mythos.healing.engine.SignalBatch;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One batch holding several requests, one of which names an unregistered assistant: that request is
 * rejected whole, the others are stored, on both paths (signals that cannot fire, and firing ones).
 */
@QuarkusTest
class SignalWriterTest {

    @Inject
    SignalWriter writer;
    @Inject
    Pool pool;

    private static SignalRequest s(String node, String assistant, SignalKind kind, Double value) {
        return new SignalRequest(node, assistant, kind, value, OffsetDateTime.now(), null);
    }

    @Test
    void aRejectedRequestDoesNotTakeTheRestOfItsBatchWithIt() {
        for (SignalKind kind : List.of(SignalKind.ENTROPY_SPIKE, SignalKind.SYMBOLIC_ERROR)) {
            Double value = kind == SignalKind.ENTROPY_SPIKE ? 0.1 : null; // below the threshold: the fast path
            String a = assistant();
            String ghost = unique("ghost");
            String good = unique("node");
            String bad = unique("node");
            List<SignalBatch.Outcome> results = writer.write(List.of(
                            List.of(s(good, a, kind, value), s(good, a, kind, value)),
                            List.of(s(bad, a, kind, value), s(bad, ghost, kind, value)),
                            List.of(s(good, a, kind, value))))
                    .await().atMost(Duration.ofSeconds(30)).outcomes();

            assertEquals(2, results.get(0).response().accepted(), kind.toString());
            assertNull(results.get(1).response());
            assertEquals(Set.of(ghost), results.get(1).unknownAssistants());
            assertEquals(1, results.get(2).response().accepted());
            assertEquals(3, signalsOf(pool, good));
            assertEquals(0, signalsOf(pool, bad));
            int fired = kind == SignalKind.SYMBOLIC_ERROR ? 1 : 0;
            assertEquals(fired, results.get(0).response().fired().size());
            assertEquals(fired, results.get(2).response().fired().size());
            if (fired == 1) {
                // one event for the node; the request holding its first signal is the one told it is new
                assertEquals(results.get(0).response().fired().get(0).eventId(), results.get(2).response().fired().get(0).eventId());
                assertEquals(true, results.get(0).response().fired().get(0).isNew());
                assertEquals(false, results.get(2).response().fired().get(0).isNew());
            }
        }
    }
}
