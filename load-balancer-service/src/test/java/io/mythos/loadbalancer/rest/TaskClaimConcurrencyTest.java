package io.mythos.loadbalancer.rest;

import io.mythos.platform.testing.TestTokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** N workers claiming at once against the real database never get the same task. */
@QuarkusTest
class TaskClaimConcurrencyTest {

    @TestHTTPResource("/system/load/tasks/claim")
    URI claim;

    @Inject
    Pool pool;

    @Test
    void concurrentClaimsNeverShareATask() {
        TaskQueue.empty(pool); // the claims compete for this test's tasks only
        int tasks = 10;
        int workers = 24;
        List<String> queued = TaskQueue.queueTasks(tasks);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            HttpRequest req = HttpRequest.newBuilder(claim).header("Content-Type", "application/json")
                    .header("Authorization", TestTokens.authorization())
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"worker\": \"w" + w + "\"}")).build();
            calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> claimed = new HashSet<>();
        int empty = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> res = call.join();
            if (res.statusCode() == 204) {
                empty++;
                continue;
            }
            assertEquals(200, res.statusCode(), res.body());
            JsonObject task = new JsonObject(res.body());
            assertTrue(claimed.add(task.getString("task_id")), "task handed out twice: " + task);
            assertEquals("claimed", task.getString("status"));
        }
        assertEquals(Set.copyOf(queued), claimed);
        assertEquals(workers - tasks, empty);
    }
}
