package io.mythos.healing.repository;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The storm guard's group figures ({@link SafetyRepository#GROUP_STATES}, read in every signal batch that
 * opens events) find a group's assistants through the {@code assistant_group} index, not by scanning the
 * registry: the system benchmark counted 699,000 scans of healing.assistant in 3,500 spikes without it. Sequential
 * scans are priced out, so the plan names the index exactly when it exists and the statement can use it;
 * the plan is the generic one a prepared statement gets.
 */
@QuarkusTest
class GroupStatesPlanTest {

    @Inject
    Pool pool;

    @Test
    void aGroupsAssistantsAreFoundThroughItsIndex() {
        String plan = pool.withTransaction(conn -> conn.query("SET LOCAL enable_seqscan = off").execute()
                        .chain(() -> conn.query("SET LOCAL plan_cache_mode = force_generic_plan").execute())
                        .chain(() -> conn.query("PREPARE group_states_plan AS " + SafetyRepository.GROUP_STATES).execute())
                        .chain(() -> conn.query("EXPLAIN EXECUTE group_states_plan('{g1,g2}', 600)").execute())
                        .call(() -> conn.query("DEALLOCATE group_states_plan").execute())
                        .map(rows -> {
                            StringBuilder text = new StringBuilder();
                            for (Row r : rows) {
                                text.append(r.getString(0)).append('\n');
                            }
                            return text.toString();
                        }))
                .await().atMost(Duration.ofSeconds(30));
        // "Index (Only) Scan using assistant_group on assistant a" or "Bitmap Index Scan on assistant_group"
        assertTrue(plan.contains("using assistant_group on assistant") || plan.contains("Index Scan on assistant_group"),
                "the group's assistants are scanned for:\n" + plan);
        assertTrue(!plan.contains("Seq Scan on assistant"), "the registry is scanned:\n" + plan);
    }
}
