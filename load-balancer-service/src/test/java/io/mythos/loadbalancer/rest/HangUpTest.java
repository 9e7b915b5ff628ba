package io.mythos.loadbalancer.rest;

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
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Clients that hang up mid-request on every write route (STYLE.md pitfall 9; io.mythos.platform.testing.HangUps):
 * each hung-up write is stored whole or not at all, an Idempotency-Key of a hung-up rebalance is never left
 * "in flight", no pooled connection or transaction is left behind, and every route answers 2xx afterwards
 * more times in a row than the pool has connections.
 */
@QuarkusTest
class HangUpTest {

    private static final int HUNG_UP = 48; // a multiple of the 6 ways of hanging up

    @TestHTTPResource("/")
    URI base;

    @Inject
    Pool pool;

    private long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().iterator().next().getLong(0);
    }

    /** A map of its own group: 3 assistants, 4 codices, 2 rituals. */
    private static String map(Maps m, String g) {
        for (int a = 0; a < 3; a++) {
            m.assistant(g + "a" + a, g, 10, 0.1);
        }
        for (int c = 0; c < 4; c++) {
            m.codex(g + "c" + c, g + "a" + (c % 3), 1.5);
        }
        m.ritual(g + "r0", g + "a0", 0.2, "critical").ritual(g + "r1", g + "a1", 0.3, "low");
        String body = new JsonObject(Map.of("assistants", m.assistants, "codices", m.codices, "rituals", m.rituals)).encode();
        m.assistants.clear();
        m.codices.clear();
        m.rituals.clear();
        return body;
    }

    @Test
    void hungUpMapWritesAndDeletesAreWholeOrNothing() {
        Maps m = new Maps();
        HangUps.hangUp(base, HUNG_UP, i -> Call.post("/system/load/pressure", map(m, "w" + i)));
        int stored = 0;
        for (int i = 0; i < HUNG_UP; i++) {
            String g = m.id("w" + i);
            long assistants = count("SELECT count(*) FROM loadbalancer.lb_assistant WHERE assistant_group = $1", g);
            long codices = count("SELECT count(*) FROM loadbalancer.codex c JOIN loadbalancer.lb_assistant a USING (assistant_id)"
                    + " WHERE a.assistant_group = $1", g);
            long rituals = count("SELECT count(*) FROM loadbalancer.ritual r JOIN loadbalancer.lb_assistant a USING (assistant_id)"
                    + " WHERE a.assistant_group = $1", g);
            assertTrue(List.of(0L, 0L, 0L).equals(List.of(assistants, codices, rituals))
                    || List.of(3L, 4L, 2L).equals(List.of(assistants, codices, rituals)),
                    "hung-up map write " + i + " half stored: " + assistants + " assistants, " + codices + " codices, " + rituals + " rituals");
            stored += assistants == 3 ? 1 : 0;
        }
        assertTrue(stored > 0 && stored < HUNG_UP, stored + " of " + HUNG_UP + " hung-up maps stored: the cuts before the end "
                + "of the body store nothing, most whole requests are stored");

        // deletes: every codex and ritual of the stored groups, then their assistants (which then own nothing)
        List<Call> deletes = new ArrayList<>();
        List<String> assistants = new ArrayList<>();
        for (int i = 0; i < HUNG_UP; i++) {
            String g = m.id("w" + i);
            deletes.add(Call.delete("/system/load/codices/" + g + "c0"));
            deletes.add(Call.delete("/system/load/rituals/" + g + "r0"));
            assistants.add(g + "a2"); // owns codex c2 only
        }
        HangUps.hangUp(base, deletes.size(), deletes::get);
        for (int i = 0; i < HUNG_UP; i++) {
            HangUps.send(base, Call.delete("/system/load/codices/" + m.id("w" + i) + "c2"));
        }
        HangUps.hangUp(base, assistants.size(), i -> Call.delete("/system/load/assistants/" + assistants.get(i)));
        long left = count("SELECT count(*) FROM loadbalancer.lb_assistant WHERE assistant_id = ANY($1)", (Object) assistants.toArray(String[]::new));
        assertTrue(left < stored, "some hung-up deletes of assistants went through: " + left + " of " + stored + " left");

        // afterwards: every write route, more times in a row than the pool has connections
        Maps after = new Maps();
        HangUps.answersInTurn(base, i -> Call.post("/system/load/pressure", map(after, "n" + i)));
        HangUps.answersInTurn(base, i -> Call.delete("/system/load/codices/" + after.id("n" + i) + "c0"));
        HangUps.answersInTurn(base, i -> Call.delete("/system/load/rituals/" + after.id("n" + i) + "r0"));
        HangUps.answersInTurn(base, i -> Call.delete("/system/load/codices/" + after.id("n" + i) + "c2"));
        HangUps.answersInTurn(base, i -> Call.delete("/system/load/assistants/" + after.id("n" + i) + "a2"));
        HangUps.nothingLeaked(base, pool);
    }

    private static Call rebalance(Maps m, int i, String key) {
        Map<String, Object> body = switch (i % 4) {
            case 0 -> Map.of("group", m.id("g"));
            case 1 -> Map.of("group", m.id("g"), "dry_run", true);
            case 2 -> Map.of("assistant_id", m.id("a0"), "max_moves", 2);
            default -> Map.of("dry_run", true); // the whole map
        };
        return Call.post("/system/load/rebalance", new JsonObject(body).encode()).header("Idempotency-Key", key);
    }

    @Test
    void hungUpRebalancesLeaveNoKeyInFlightAndNoHalfAppliedPlan() {
        Maps m = Maps.skewed().post();
        String prefix = UUID.randomUUID().toString();
        HangUps.hangUp(base, HUNG_UP, i -> rebalance(m, i, prefix + i));
        HangUps.hangUp(base, HUNG_UP / 2, i -> Call.post("/system/load/rebalance", new JsonObject(Map.of("group", m.id("g"))).encode()));
        // no codex lost or duplicated by a plan applied in part
        assertEquals(12, count("SELECT count(*) FROM loadbalancer.codex c JOIN loadbalancer.lb_assistant a USING (assistant_id)"
                + " WHERE a.assistant_group = $1", m.id("g")));
        int replayed = 0;
        for (int i = 0; i < HUNG_UP; i++) {
            // the same request with the same key: its stored plan, or (nothing committed) a fresh one; never stuck in flight
            HttpResponse<String> again = HangUps.ok(base, rebalance(m, i, prefix + i));
            String planId = new JsonObject(again.body()).getString("plan_id");
            boolean replay = again.headers().firstValue("Idempotent-Replayed").isPresent();
            replayed += replay ? 1 : 0;
            // the answer kept under the key was committed with its plan
            HangUps.ok(base, new Call("GET", "/system/load/plans/" + planId, Map.of(), null));
            assertEquals(1, count("SELECT count(*) FROM loadbalancer.idempotency_key WHERE key = $1 AND status = 200", prefix + i));
        }
        assertNotEquals(0, replayed, "some hung-up rebalances committed and are replayed");

        HangUps.answersInTurn(base, i -> rebalance(m, i, UUID.randomUUID().toString()));
        HangUps.answersInTurn(base, i -> Call.post("/system/load/rebalance", new JsonObject(Map.of("group", m.id("g"))).encode()));
        HangUps.nothingLeaked(base, pool);
    }

    private List<Row> tasks(List<String> ids) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT status, worker, lease_expires_at, attempts, reason FROM loadbalancer.decentralization_task"
                + " WHERE task_id = ANY($1)").execute(Tuple.of(ids.stream().map(UUID::fromString).toArray(UUID[]::new)))
                .await().indefinitely().forEach(rows::add);
        assertEquals(ids.size(), rows.size());
        return rows;
    }

    @Test
    void hungUpClaimsCompletionsAndFailuresAreWholeOrNothing() {
        TaskQueue.empty(pool);
        List<String> ids = TaskQueue.queueTasks(HUNG_UP);
        HangUps.hangUp(base, HUNG_UP, i -> Call.post("/system/load/tasks/claim", "{\"worker\":\"w-hung-up\"}"));
        int claimed = 0;
        for (Row t : tasks(ids)) {
            if (t.getString("status").equals("claimed")) {
                claimed++;
                assertEquals("w-hung-up", t.getString("worker"));
                assertTrue(t.getValue("lease_expires_at") != null && t.getInteger("attempts") == 1, "a claim stored in part: " + t.toJson());
            } else {
                assertEquals("pending", t.getString("status"));
                assertEquals(0, t.getInteger("attempts"), "a claim stored in part: " + t.toJson());
            }
        }
        assertTrue(claimed > 0, "some hung-up claims went through");
        // the rest claimed by a client that waits for the answer
        while (HangUps.ok(base, Call.post("/system/load/tasks/claim", "{\"worker\":\"w-hung-up\"}")).statusCode() == 200) {
            claimed++;
        }
        assertEquals(HUNG_UP, claimed);
        HangUps.hangUp(base, HUNG_UP, i -> Call.post("/system/load/tasks/" + ids.get(i) + (i % 2 == 0 ? "/complete" : "/fail"),
                "{\"worker\":\"w-hung-up\",\"reason\":\"reason " + i + "\"}"));
        int finished = 0;
        for (Row t : tasks(ids)) {
            switch (t.getString("status")) {
                case "claimed" -> assertEquals(null, t.getString("reason"), "a finish stored in part: " + t.toJson());
                case "done", "failed" -> {
                    finished++;
                    assertTrue(t.getString("reason").startsWith("reason "), "a finish stored in part: " + t.toJson());
                }
                default -> throw new AssertionError("unexpected " + t.toJson());
            }
        }
        assertTrue(finished > 0, "some hung-up completions went through");

        // afterwards: more claims, completions and failures in a row than the pool has connections
        TaskQueue.empty(pool);
        int n = HangUps.poolSize() + 3;
        List<String> more = TaskQueue.queueTasks(2 * n);
        HangUps.answersInTurn(base, i -> Call.post("/system/load/tasks/claim", "{\"worker\":\"w-after\"}"));
        HangUps.answersInTurn(base, i -> Call.post("/system/load/tasks/claim", "{\"worker\":\"w-after\"}"));
        HangUps.answersInTurn(base, i -> Call.post("/system/load/tasks/" + more.get(i) + "/complete", "{\"worker\":\"w-after\"}"));
        HangUps.answersInTurn(base, i -> Call.post("/system/load/tasks/" + more.get(n + i) + "/fail", "{\"worker\":\"w-after\"}"));
        HangUps.nothingLeaked(base, pool);
    }
}
