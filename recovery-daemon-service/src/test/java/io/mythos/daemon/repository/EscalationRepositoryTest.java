package io.mythos.daemon.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.daemon.rest.Reports;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox's ending statement. The soak (docs/BENCHMARKS.md) saw PostgreSQL refuse it once with "inconsistent types
 * deduced for parameter $2 (text versus character varying)": the status was stored as varchar and compared as text, so
 * the statement prepared only when the client sent the parameter's type. The row then stayed claimed, and the stalled
 * zone would have been reported again after its lease.
 */
@QuarkusTest
class EscalationRepositoryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EscalationRepository repository;
    @Inject
    Pool pool;

    private String zone;

    @AfterEach
    void removeWhatThisTestMade() {
        if (zone != null) {
            pool.preparedQuery("DELETE FROM recovery.escalation WHERE zone = $1").execute(Tuple.of(zone)).await().atMost(WAIT);
        }
    }

    /** Prepared with no parameter type at all, as a client may: PostgreSQL must deduce one type per parameter. */
    @Test
    void theEndingStatementPreparesWithoutParameterTypes() {
        pool.withConnection(c -> c.query("PREPARE escalation_finish_untyped AS " + EscalationRepository.FINISH).execute()
                        .chain(() -> c.query("DEALLOCATE escalation_finish_untyped").execute()))
                .await().atMost(WAIT);
    }

    @Test
    void everyOutcomeEndsTheRowWhateverCameBeforeOnTheConnection() {
        zone = Reports.newZone();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(pool.preparedQuery("INSERT INTO recovery.escalation (zone, assistant_id, divergence) VALUES ($1, 'a', 0.5) RETURNING id")
                    .execute(Tuple.of(zone)).await().atMost(WAIT).iterator().next().getLong(0));
        }
        // sent (a null error), then refused and failed (an error): more rounds than the pool has connections
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            switch (i % 3) {
                case 0 -> repository.sent(pool, id).await().atMost(WAIT);
                case 1 -> repository.rejected(pool, id, "refused").await().atMost(WAIT);
                default -> repository.retryLater(pool, id, "unreachable").await().atMost(WAIT);
            }
        }
        List<String> seen = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT status, last_error, sent_at IS NOT NULL AS sent FROM recovery.escalation WHERE zone = $1 ORDER BY id")
                .execute(Tuple.of(zone)).await().atMost(WAIT)) {
            seen.add(row.getString("status") + "/" + row.getString("last_error") + "/" + row.getBoolean("sent"));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            expected.add(switch (i % 3) {
                case 0 -> "sent/null/true";
                case 1 -> "rejected/refused/false";
                default -> "pending/unreachable/false";
            });
        }
        assertEquals(expected, seen);
    }
}
