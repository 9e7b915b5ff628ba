package io.mythos.healing.service;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.signalsOf;
import static io.mythos.healing.support.Fixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.healing.SignalRequest;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.repository.EventRepository;
import io.mythos.healing.repository.RuleRepository;
import io.mythos.healing.repository.SignalRepository;
import io.mythos.platform.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Limits and isolation": requests batched together on the server (the signal group commit)
 * never fail each other. A writer that PostgreSQL refuses for any batch holding a "poison" signal (as it
 * would refuse a value it cannot store) stands in for the real one: under concurrency, every clean
 * request is stored and answered 202, and only the poisoned ones fail, each with its 400.
 */
@QuarkusTest
class BatchIsolationTest {

    @Inject
    Pool pool;
    @Inject
    SignalRepository signals;
    @Inject
    RuleRepository rules;
    @Inject
    EventRepository events;
    @Inject
    RuleService ruleService;
    @Inject
    HealingConfig config;

    @TestHTTPResource("/system/health/signals")
    URI signalsUri;

    /** The largest batch that held a poisoned request: proves the shared path was taken. */
    static final AtomicInteger largestPoisonedBatch = new AtomicInteger();

    static final class PoisonWriter extends SignalWriter {
        PoisonWriter(Pool pool, SignalRepository signals, RuleRepository rules, EventRepository events, RuleService ruleService,
                     HealingConfig config) {
            super(pool, signals, rules, events, ruleService, config);
        }

        @Override
        public Uni<Written> write(List<List<SignalRequest>> requests) {
            boolean poisoned = requests.stream().flatMap(List::stream).anyMatch(s -> s.nodeId().startsWith("poison-"));
            if (poisoned) {
                largestPoisonedBatch.accumulateAndGet(requests.size(), Math::max);
                // what PostgreSQL answers a value it cannot store (22003: numeric value out of range), after a while
                return Uni.createFrom().<Written>failure(new PgException("value out of range", "ERROR", "22003", "detail"))
                        .onFailure().call(() -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(50)));
            }
            return super.write(requests);
        }
    }

    @BeforeEach
    void poisonTheWriter() {
        QuarkusMock.installMockForType(new PoisonWriter(pool, signals, rules, events, ruleService, config), SignalWriter.class);
    }

    @Test
    void aPoisonedRequestFailsAloneAndEveryOtherRequestOfItsBatchesIsStored() {
        String a = assistant();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        List<String> clean = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> cleanCalls = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> poisonCalls = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            boolean poison = i % 10 == 3;
            String node = unique(poison ? "poison-node" : "clean-node");
            HttpRequest req = HttpRequest.newBuilder(signalsUri).header("Content-Type", "application/json")
                    .header("Authorization", TestTokens.authorization()).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(signal(node, a, "codex_conflict", null, null))).build();
            CompletableFuture<HttpResponse<String>> call = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
            if (poison) {
                poisonCalls.add(call);
            } else {
                clean.add(node);
                cleanCalls.add(call);
            }
        }
        for (CompletableFuture<HttpResponse<String>> call : cleanCalls) {
            HttpResponse<String> res = call.join();
            assertEquals(202, res.statusCode(), res.body());
        }
        for (CompletableFuture<HttpResponse<String>> call : poisonCalls) {
            HttpResponse<String> res = call.join();
            assertEquals(400, res.statusCode(), res.body());
            assertEquals("application/problem+json", res.headers().firstValue("Content-Type").orElse(""));
            JsonObject problem = new JsonObject(res.body());
            assertEquals("Bad Request", problem.getString("title"));
            assertTrue(problem.getString("detail").contains("cannot be stored"), problem.encode());
        }
        for (String node : clean) {
            assertEquals(1, signalsOf(pool, node), node);
        }
        assertTrue(largestPoisonedBatch.get() > 1, "the poisoned requests shared a batch with others: " + largestPoisonedBatch.get());
    }
}
