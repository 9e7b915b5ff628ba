package io.mythos.daemon.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.platform.testing.HangUps;
import io.mythos.platform.testing.HangUps.Call;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Clients that hang up mid-request on every write route (STYLE.md pitfall 9; io.mythos.platform.testing.HangUps):
 * a hung-up belief report is stored whole or not at all, a hung-up recovery's Idempotency-Key is never left
 * "in flight" and its answer was committed with its record, no pooled connection or transaction is left
 * behind, and every route answers 2xx afterwards more times in a row than the pool has connections.
 */
@QuarkusTest
class HangUpTest {

    private static final int HUNG_UP = 48; // a multiple of the 6 ways of hanging up
    private static final int ZONES = 8;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Pool pool;

    private static Map<String, Double> beliefs(int i) {
        Map<String, Double> b = new LinkedHashMap<>();
        for (int n = 0; n < 10; n++) {
            b.put("b" + n, (i * 10 + n) / 1000.0);
        }
        return b;
    }

    private static Call report(String zone, String replica, Map<String, Double> beliefs) {
        return Call.post("/system/daemon/zones/" + zone + "/beliefs",
                new JsonObject(Map.of("assistant_id", replica, "beliefs", beliefs)).encode());
    }

    private RowSet<Row> query(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
    }

    @Test
    void hungUpReportsRecoveriesAndCyclesAreWholeOrNothing() {
        List<String> zones = new ArrayList<>();
        for (int z = 0; z < ZONES; z++) {
            zones.add(Reports.divergedZone());
        }
        HangUps.hangUp(base, HUNG_UP, i -> report(zones.get(i % ZONES), "h" + i, beliefs(i)));
        int stored = 0;
        for (int i = 0; i < HUNG_UP; i++) {
            RowSet<Row> rows = query("SELECT beliefs::text, version FROM recovery.replica WHERE zone = $1 AND assistant_id = $2",
                    zones.get(i % ZONES), "h" + i);
            if (rows.size() == 1) {
                stored++;
                Row r = rows.iterator().next();
                assertEquals(new JsonObject(new LinkedHashMap<>(beliefs(i))), new JsonObject(r.getString(0)), "report " + i + " stored in part");
                assertEquals(1L, r.getLong("version"));
            }
        }
        assertTrue(stored > 0 && stored < HUNG_UP, stored + " of " + HUNG_UP + " hung-up reports stored: the cuts before the "
                + "end of the body store nothing, most whole requests are stored");
        for (String zone : zones) { // the zone's figures were updated with the replicas stored
            HangUps.ok(base, new Call("GET", "/system/daemon/zones/" + zone, Map.of(), null));
        }

        String prefix = UUID.randomUUID().toString();
        HangUps.hangUp(base, HUNG_UP, i -> Call.post("/system/daemon/zones/" + zones.get(i % ZONES) + "/recover", "")
                .header("Idempotency-Key", prefix + i));
        HangUps.hangUp(base, HUNG_UP / 2, i -> Call.post("/system/daemon/zones/" + zones.get(i % ZONES) + "/recover", ""));
        HangUps.hangUp(base, 12, i -> Call.post("/system/daemon/cycle", ""));
        int replayed = 0;
        for (int i = 0; i < HUNG_UP; i++) {
            // the same request with the same key: the stored answer, or (nothing committed) a fresh one; never stuck in flight
            HttpResponse<String> again = HangUps.ok(base, Call.post("/system/daemon/zones/" + zones.get(i % ZONES) + "/recover", "")
                    .header("Idempotency-Key", prefix + i));
            replayed += again.headers().firstValue("Idempotent-Replayed").isPresent() ? 1 : 0;
            String id = new JsonObject(again.body()).getString("id");
            if (id != null) { // a record: committed together with the answer kept under its key
                assertEquals(1, query("SELECT count(*) FROM recovery.recovery_event WHERE id = $1", UUID.fromString(id))
                        .iterator().next().getLong(0));
            }
            assertEquals(1, query("SELECT count(*) FROM recovery.idempotency_key WHERE key = $1 AND status = 200", prefix + i)
                    .iterator().next().getLong(0));
        }
        assertNotEquals(0, replayed, "some hung-up recoveries committed and are replayed");

        // afterwards: every write route, more times in a row than the pool has connections
        String zone = zones.get(0);
        HangUps.answersInTurn(base, i -> report(zone, "after-" + i, Map.of("b0", 0.5)));
        HangUps.answersInTurn(base, i -> Call.post("/system/daemon/zones/" + zones.get(i % ZONES) + "/recover", "")
                .header("Idempotency-Key", UUID.randomUUID().toString()));
        HangUps.answersInTurn(base, i -> Call.post("/system/daemon/zones/" + zones.get(i % ZONES) + "/recover", ""));
        HangUps.answersInTurn(base, i -> Call.post("/system/daemon/cycle", ""));
        HangUps.nothingLeaked(base, pool);
        HangUps.ok(base, new Call("GET", "/q/health/ready", Map.of(), null));
    }
}
