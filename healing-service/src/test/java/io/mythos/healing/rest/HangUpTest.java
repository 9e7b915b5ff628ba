package io.mythos.healing.rest;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.count;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Clients that hang up mid-request on every write route, and on the reads that open a Hibernate Reactive session
 * (STYLE.md pitfall 9; io.mythos.platform.testing.HangUps):
 * each hung-up write is stored whole or not at all (a batch of signals all or none; a change and its audit
 * record together), no pooled connection or transaction is left behind, and every route answers 2xx
 * afterwards more times in a row than the pool has connections.
 */
@QuarkusTest
class HangUpTest {

    private static final int HUNG_UP = 36; // a multiple of the 6 ways of hanging up
    private static final int BATCH = 5;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Pool pool;

    private long audits(String action, String target) {
        return count(pool, "SELECT count(*) FROM healing.audit WHERE action = $1 AND target = $2", action, target);
    }

    /** Hangs up on HUNG_UP calls, then checks each target: {@code stored} answers whether call i's write is there. */
    private void hangUpWholeOrNothing(String what, IntFunction<Call> call, IntFunction<Boolean> stored, IntFunction<Boolean> whole) {
        HangUps.hangUp(base, HUNG_UP, call);
        int n = 0;
        for (int i = 0; i < HUNG_UP; i++) {
            assertTrue(whole.apply(i), "hung-up " + what + " " + i + " stored in part");
            n += stored.apply(i) ? 1 : 0;
        }
        assertTrue(n > 0 && n < HUNG_UP, n + " of " + HUNG_UP + " hung-up " + what + " stored: the cuts before the end of the "
                + "request store nothing, most whole requests are stored");
    }

    private static String signals(String prefix, String assistant) {
        List<String> batch = new ArrayList<>();
        for (int k = 0; k < BATCH; k++) {
            batch.add(signal(prefix + "-" + k, assistant, "entropy_spike", 0.1, null)); // below the threshold: fires nothing
        }
        return "[" + String.join(",", batch) + "]";
    }

    @Test
    void hungUpSignalsAndRegistryWritesAreWholeOrNothing() {
        String a = assistant();
        String p = unique("n");
        hangUpWholeOrNothing("signal batches", i -> Call.post("/system/health/signals", signals(p + i, a)),
                i -> count(pool, "SELECT count(*) FROM healing.signal WHERE node_id LIKE $1", p + i + "-%") == BATCH,
                i -> List.of(0L, (long) BATCH).contains(count(pool, "SELECT count(*) FROM healing.signal WHERE node_id LIKE $1", p + i + "-%")));
        hangUpWholeOrNothing("signals", i -> Call.post("/system/health/signals", signal(p + "s" + i, a, "entropy_spike", 0.1, null)),
                i -> count(pool, "SELECT count(*) FROM healing.signal WHERE node_id = $1", p + "s" + i) == 1, i -> true);

        String r = unique("a");
        IntFunction<Boolean> registered = i -> count(pool, "SELECT count(*) FROM healing.assistant WHERE assistant_id = $1"
                + " AND name = $2 AND assistant_group = $3 AND zone = $4", r + i, "n" + i, "g" + i, "z" + i) == 1;
        hangUpWholeOrNothing("assistant registrations",
                i -> Call.put("/assistants/" + r + i, "{\"name\": \"n" + i + "\", \"group\": \"g" + i + "\", \"zone\": \"z" + i + "\"}"),
                registered, i -> registered.apply(i) == (audits("assistant.put", r + i) == 1));

        // deletes: each assistant with an event of its own; gone with its events and audited, or all still there
        String d = unique("d");
        for (int i = 0; i < HUNG_UP; i++) {
            HangUps.ok(base, Call.put("/assistants/" + d + i, "{\"name\": \"n\", \"group\": \"g\", \"zone\": \"z\"}"));
            pool.preparedQuery("INSERT INTO healing.healing_event (id, node_id, triggered_by, assistant_id, status, resolved_at)"
                    + " VALUES ($1, $2, 'ritual_failure', $3, 'resolved', now())").execute(Tuple.of(UUID.randomUUID(), d + i, d + i))
                    .await().indefinitely();
        }
        IntFunction<Boolean> deleted = i -> count(pool, "SELECT count(*) FROM healing.assistant WHERE assistant_id = $1", d + i) == 0;
        hangUpWholeOrNothing("assistant deletes", i -> Call.delete("/assistants/" + d + i), deleted,
                i -> deleted.apply(i) == (count(pool, "SELECT count(*) FROM healing.healing_event WHERE assistant_id = $1", d + i) == 0)
                        && deleted.apply(i) == (audits("assistant.delete", d + i) == 1));

        // reads that open a Hibernate Reactive session, hung up on: the session's connection comes back
        HangUps.hangUp(base, HUNG_UP, i -> new Call("GET", i % 2 == 0 ? "/assistants/" + r + i : "/assistants?limit=500", Map.of(), null));

        // afterwards: every route of these, more times in a row than the pool has connections
        String after = unique("after");
        HangUps.answersInTurn(base, i -> Call.post("/system/health/signals", signal(after + i, a, "entropy_spike", 0.1, null)));
        HangUps.answersInTurn(base, i -> Call.post("/system/health/signals", signals(after + "b" + i, a)));
        HangUps.answersInTurn(base, i -> Call.put("/assistants/" + after + i, "{\"name\": \"n\", \"group\": \"g\", \"zone\": \"z\"}"));
        HangUps.answersInTurn(base, i -> Call.delete("/assistants/" + after + i));
        HangUps.nothingLeaked(base, pool);
    }

    @Test
    void hungUpOperatorChangesAreWholeOrNothing() {
        // silences: created with their audit record, or not at all
        String c = unique("c");
        String ends = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString();
        IntFunction<Call> silence = i -> Call.post("/system/health/silences", new JsonObject(Map.of(
                "matchers", Map.of("node_id", c + i), "ends_at", ends, "comment", c + i)).encode());
        IntFunction<List<Row>> silences = i -> {
            List<Row> rows = new ArrayList<>();
            pool.preparedQuery("SELECT id::text FROM healing.silence WHERE comment = $1").execute(Tuple.of(c + i))
                    .await().indefinitely().forEach(rows::add);
            return rows;
        };
        hangUpWholeOrNothing("silences", silence, i -> silences.apply(i).size() == 1,
                i -> silences.apply(i).size() <= 1 && silences.apply(i).stream().allMatch(s -> audits("silence.create", s.getString(0)) == 1));
        // ended (deleted) with their audit record, or not at all
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < HUNG_UP; i++) {
            ids.add(new JsonObject(HangUps.ok(base, silence.apply(HUNG_UP + i)).body()).getString("id"));
        }
        IntFunction<Boolean> ended = i -> count(pool, "SELECT count(*) FROM healing.silence WHERE id = $1", UUID.fromString(ids.get(i))) == 0;
        hangUpWholeOrNothing("silence deletes", i -> Call.delete("/system/health/silences/" + ids.get(i)), ended,
                i -> ended.apply(i) == (audits("silence.delete", ids.get(i)) == 1));

        // escalated events: resolved with their audit record, or not at all
        String a = assistant();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 2 * HUNG_UP + HangUps.poolSize() + 3; i++) {
            UUID id = UUID.randomUUID();
            pool.preparedQuery("INSERT INTO healing.healing_event (id, node_id, triggered_by, assistant_id, status)"
                    + " VALUES ($1, $2, 'symbolic_error', $3, 'escalated')").execute(Tuple.of(id, unique("node"), a)).await().indefinitely();
            events.add(id.toString());
        }
        IntFunction<Boolean> resolved = i -> count(pool, "SELECT count(*) FROM healing.healing_event WHERE id = $1 AND status = 'resolved'",
                UUID.fromString(events.get(i))) == 1;
        hangUpWholeOrNothing("resolves", i -> Call.post("/system/health/recovery/" + events.get(i) + "/resolve", null), resolved,
                i -> resolved.apply(i) == (audits("event.resolve", events.get(i)) == 1));

        // storms: released with their audit record, or not at all
        String g = unique("g");
        for (int i = 0; i < HUNG_UP + HangUps.poolSize() + 3; i++) {
            pool.preparedQuery("INSERT INTO healing.storm (assistant_group, fraction) VALUES ($1, 0.5)").execute(Tuple.of(g + i))
                    .await().indefinitely();
        }
        IntFunction<Boolean> released = i -> count(pool, "SELECT count(*) FROM healing.storm WHERE assistant_group = $1", g + i) == 0;
        hangUpWholeOrNothing("storm releases", i -> Call.post("/system/health/storm/" + g + i + "/release", null), released,
                i -> released.apply(i) == (audits("storm.release", g + i) == 1));

        // a rule: one of the versions sent, whole (its fields agree with each other), never a mix
        JsonObject original = HangUps.ok(base, new Call("GET", "/system/health/rules", Map.of(), null)).body().transform(JsonObject::new)
                .getJsonArray("rules").stream().map(JsonObject.class::cast).filter(r -> r.getString("kind").equals("codex_conflict"))
                .findFirst().orElseThrow();
        IntFunction<Call> rule = i -> Call.put("/system/health/rules/codex_conflict", new JsonObject(Map.of("threshold", 0.5 + i / 1000.0,
                "window_seconds", 600 + i, "min_occurrences", 3, "cooldown_seconds", 300 + i)).encode());
        try {
            HangUps.hangUp(base, HUNG_UP, rule);
            Row stored = pool.query("SELECT threshold, window_seconds, cooldown_seconds FROM healing.rule WHERE kind = 'codex_conflict'")
                    .execute().await().indefinitely().iterator().next();
            int version = stored.getInteger("window_seconds") - 600;
            assertEquals(version, stored.getInteger("cooldown_seconds") - 300, "a rule stored in part: " + stored.toJson());
            assertEquals(0.5 + version / 1000.0, stored.getDouble("threshold"), 1e-9, "a rule stored in part: " + stored.toJson());
            HangUps.answersInTurn(base, rule);
        } finally {
            JsonObject back = new JsonObject();
            for (String field : List.of("threshold", "window_seconds", "min_occurrences", "cooldown_seconds", "verify_seconds", "max_ineffective")) {
                back.put(field, original.getValue(field));
            }
            HangUps.ok(base, Call.put("/system/health/rules/codex_conflict", back.encode()));
        }

        // afterwards: every route of these, more times in a row than the pool has connections
        HangUps.answersInTurn(base, i -> silence.apply(2 * HUNG_UP + i));
        HangUps.answersInTurn(base, i -> Call.delete("/system/health/silences/" + silences.apply(2 * HUNG_UP + i).get(0).getString(0)));
        HangUps.answersInTurn(base, i -> Call.post("/system/health/recovery/" + events.get(HUNG_UP + i) + "/resolve", null));
        HangUps.answersInTurn(base, i -> Call.post("/system/health/storm/" + g + (HUNG_UP + i) + "/release", null));
        HangUps.nothingLeaked(base, pool);
    }
}
