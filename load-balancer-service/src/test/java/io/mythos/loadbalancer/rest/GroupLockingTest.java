package io.mythos.loadbalancer.rest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mythos.platform.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The load map is locked per group, against the real database: while a transaction holds one group's lock
 * (as a rebalance of that group does from its read to its commit), another group is rebalanced and its
 * codices posted, while rebalances of the held group, by group or by one of its assistants, wait; once
 * released they run one after the other, the second planning on the first one's result. Posting
 * assistants (which may move an assistant to another group) waits for every group.
 */
@QuarkusTest
class GroupLockingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/system/load/rebalance")
    URI rebalance;

    @TestHTTPResource("/system/load/pressure")
    URI pressure;

    @Inject
    Pool pool;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    private CompletableFuture<HttpResponse<String>> post(URI uri, String json) {
        return http.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Authorization", TestTokens.authorization()).timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject ok(CompletableFuture<HttpResponse<String>> call) throws Exception {
        HttpResponse<String> res = call.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, res.statusCode(), res.body());
        return new JsonObject(res.body());
    }

    /** Backends waiting for an advisory lock: a group's (two-int key) or the whole map's (one bigint key). */
    private long waitingFor(String group) {
        return pool.preparedQuery("""
                        SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 2
                           AND classid::bigint = $1 AND objid::bigint = (($2::bigint % 4294967296) + 4294967296) % 4294967296""")
                .execute(Tuple.of((long) 0x4c4d4750, (long) group.hashCode())).await().atMost(WAIT)
                .iterator().next().getLong(0);
    }

    private long waitingForTheWholeMap() {
        return pool.preparedQuery("""
                        SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
                           AND ((classid::bigint << 32) | objid::bigint) = $1""")
                .execute(Tuple.of(0x4c4f41444d4150L)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    @Test
    void groupsRebalanceSideBySideAndOneGroupsRebalancesOneAfterTheOther() throws Exception {
        Maps a = Maps.skewed().post();
        Maps b = Maps.skewed().post();
        String groupA = a.id("g");
        // what a rebalance of group A holds: the whole map's lock shared, A's lock exclusive
        SqlConnection holdsA = holding(groupA);
        try {
            // group B is rebalanced meanwhile, and codices posted to it
            JsonObject planB = ok(post(rebalance, new JsonObject(Map.of("group", b.id("g"))).encode()));
            assertEquals(9, planB.getJsonArray("redistribution").size());
            ok(post(pressure, new JsonObject(Map.of("codices", List.of(
                    Map.of("codex_id", b.id("late"), "assistant_id", b.id("a1"), "pressure", 1.0)))).encode()));

            // group A's rebalances, by group and by its assistant a0, wait for A's lock
            CompletableFuture<HttpResponse<String>> byGroup = post(rebalance, new JsonObject(Map.of("group", groupA)).encode());
            CompletableFuture<HttpResponse<String>> byAssistant =
                    post(rebalance, new JsonObject(Map.of("assistant_id", a.id("a0"))).encode());
            await().atMost(WAIT).until(() -> waitingFor(groupA) == 2);
            // posting an assistant (it could change group) waits for the whole map
            CompletableFuture<HttpResponse<String>> assistant = post(pressure, new JsonObject(Map.of("assistants", List.of(
                    Map.of("assistant_id", b.id("new"), "group", b.id("g"), "capacity", 10.0, "memory_entropy", 0.0)))).encode());
            await().atMost(WAIT).until(() -> waitingForTheWholeMap() == 1);
            assertFalse(byGroup.isDone() || byAssistant.isDone() || assistant.isDone());

            commit(holdsA);
            holdsA = null;
            // one after the other: one applied a0's 9 moves, the other planned on that result and moved nothing
            Set<Integer> moves = Set.of(ok(byGroup).getJsonArray("redistribution").size(),
                    ok(byAssistant).getJsonArray("redistribution").size());
            assertEquals(Set.of(9, 0), moves);
            ok(assistant);
        } finally {
            if (holdsA != null) {
                commit(holdsA);
            }
        }
    }

    /** A transaction of the test's own holding the locks a write to {@code group} holds. */
    private SqlConnection holding(String group) {
        SqlConnection conn = pool.getConnection().await().atMost(WAIT);
        conn.query("BEGIN").execute().await().atMost(WAIT);
        conn.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(0x4c4f41444d4150L)).await().atMost(WAIT);
        conn.preparedQuery("SELECT pg_advisory_xact_lock($1, $2)").execute(Tuple.of(0x4c4d4750, group.hashCode()))
                .await().atMost(WAIT);
        return conn;
    }

    private static void commit(SqlConnection conn) {
        conn.query("COMMIT").execute().await().atMost(WAIT);
        conn.close().await().atMost(WAIT);
    }

    @Test
    void aCodexThatChangesGroupWhileItsWriteWaitsIsWrittenUnderItsNewGroupsLock() throws Exception {
        Maps x = Maps.skewed().post();
        Maps w = Maps.skewed().post();
        Maps z = Maps.skewed().post();
        SqlConnection holdsX = holding(x.id("g"));
        SqlConnection holdsW = holding(w.id("g"));
        try {
            // the codex c0 of group X is posted to an assistant of group Z: the write waits for X's lock
            CompletableFuture<HttpResponse<String>> write = post(pressure, new JsonObject(Map.of("codices", List.of(
                    Map.of("codex_id", x.id("c0"), "assistant_id", z.id("a1"), "pressure", 2.0)))).encode());
            await().atMost(WAIT).until(() -> waitingFor(x.id("g")) == 1);
            // meanwhile another writer moves c0 to group W and commits
            holdsX.preparedQuery("UPDATE loadbalancer.codex SET assistant_id = $2 WHERE codex_id = $1")
                    .execute(Tuple.of(x.id("c0"), w.id("a2"))).await().atMost(WAIT);
            commit(holdsX);
            holdsX = null;
            // the write finds c0 in W now, whose lock it did not take: it starts over and waits for W's lock
            await().atMost(WAIT).until(() -> waitingFor(w.id("g")) == 1);
            assertFalse(write.isDone());
            commit(holdsW);
            holdsW = null;
            ok(write);
            assertEquals(z.id("a1"), pool.preparedQuery("SELECT assistant_id FROM loadbalancer.codex WHERE codex_id = $1")
                    .execute(Tuple.of(x.id("c0"))).await().atMost(WAIT).iterator().next().getString(0));
        } finally {
            if (holdsX != null) {
                commit(holdsX);
            }
            if (holdsW != null) {
                commit(holdsW);
            }
        }
    }
}
