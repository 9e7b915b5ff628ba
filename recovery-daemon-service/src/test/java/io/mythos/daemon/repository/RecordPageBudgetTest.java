package io.mythos.daemon.repository;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mythos.daemon.rest.Reports;
import io.mythos.common.daemon.RecoveryRecord;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a page of recovery records stops once it holds {@code mythos.daemon.max-page-bytes} of stored
 * text (a page of 500 records of a large zone outgrew the heap), always answers at least one record, and
 * the next page (by offset) goes on where it stopped; {@code total} still counts every record.
 */
@QuarkusTest
class RecordPageBudgetTest {

    @Inject
    RecoveryEventRepository events;
    @Inject
    Pool pool;

    private String zone;

    @AfterEach
    void removeWhatThisTestMade() {
        if (zone != null) {
            pool.preparedQuery("DELETE FROM recovery.recovery_event WHERE network_zone = $1").execute(Tuple.of(zone))
                    .await().atMost(Duration.ofSeconds(10));
        }
    }

    @Test
    void aPageEndsAtItsByteBudgetAndTheNextGoesOn() {
        zone = Reports.divergedZone();
        given().post("/system/daemon/zones/" + zone + "/recover").then().statusCode(200);
        // five copies of the real record, each a second older than the one before
        pool.preparedQuery("""
                        INSERT INTO recovery.recovery_event (id, network_zone, detected_failure, memory_resync_attempts,
                               codex_realignment_vector, assistant_reflection_scripts, recovery_score, created_at)
                        SELECT gen_random_uuid(), network_zone, detected_failure, memory_resync_attempts, codex_realignment_vector,
                               assistant_reflection_scripts, recovery_score, created_at - make_interval(secs => g)
                          FROM recovery.recovery_event, generate_series(1, 5) g WHERE network_zone = $1""")
                .execute(Tuple.of(zone)).await().atMost(Duration.ofSeconds(10));
        long size = pool.preparedQuery("""
                        SELECT octet_length(memory_resync_attempts::text) + octet_length(codex_realignment_vector::text)
                               + octet_length(assistant_reflection_scripts)
                          FROM recovery.recovery_event WHERE network_zone = $1 LIMIT 1""")
                .execute(Tuple.of(zone)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);

        List<RecoveryRecord> all = page(0, Long.MAX_VALUE);
        assertEquals(6, all.size());
        List<RecoveryRecord> first = page(0, size * 5 / 2);
        assertEquals(all.subList(0, 3).stream().map(RecoveryRecord::id).toList(), first.stream().map(RecoveryRecord::id).toList(),
                "records of 2.5 × one record's size: the page ends after the third");
        assertEquals(all.subList(3, 6).stream().map(RecoveryRecord::id).toList(), page(3, size * 5 / 2).stream().map(RecoveryRecord::id).toList(),
                "the next page goes on at its offset");
        assertEquals(List.of(all.get(0).id()), page(0, 1).stream().map(RecoveryRecord::id).toList(),
                "a record larger than the whole budget is still answered alone");
        given().get("/system/daemon/zones/" + zone + "/events?limit=500").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(6)).body("events.size()", org.hamcrest.Matchers.equalTo(6));
    }

    private List<RecoveryRecord> page(int offset, long budget) {
        return pool.withConnection(conn -> events.page(conn, zone, 500, offset, budget)).await().atMost(Duration.ofSeconds(10));
    }
}
