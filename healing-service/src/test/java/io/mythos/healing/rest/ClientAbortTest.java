package io.mythos.healing.rest;

import io.mythos.platform.testing.TestTokens;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.post;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.signalsOf;
import static io.mythos.healing.support.Fixtures.unique;
import static org.hamcrest.Matchers.equalTo;

import io.mythos.healing.support.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md pitfall 9: clients that send a signal and hang up before the answer. Their writes are not
 * tied to the HTTP request, so every signal is still stored, no connection of the pool is lost, and the
 * service answers normally afterwards.
 */
@QuarkusTest
class ClientAbortTest {

    private static final int ABORTED = 200;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Pool pool;

    @Test
    void abortedRequestsAreStoredAndLeakNothing() throws Exception {
        String a = assistant();
        String node = unique("node");
        byte[] body = signal(node, a, "entropy_spike", 0.99, null).getBytes(StandardCharsets.UTF_8);
        byte[] request = ("POST /system/health/signals HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Authorization: " + TestTokens.authorization() + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < ABORTED; i++) {
                sent.add(clients.submit(() -> {
                    try (Socket s = new Socket(base.getHost(), base.getPort())) {
                        OutputStream out = s.getOutputStream();
                        out.write(request);
                        out.write(body);
                        out.flush();
                    } // closed without reading the answer
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        Fixtures.await("the aborted requests' signals to be stored", Duration.ofSeconds(60),
                () -> signalsOf(pool, node) == ABORTED);
        // more requests than the pool has connections: a leaked connection would starve them
        for (int i = 0; i < 50; i++) {
            post(signal(node, a, "entropy_spike", 0.99, null)).statusCode(202).body("fired[0].new", equalTo(false));
        }
        org.junit.jupiter.api.Assertions.assertEquals(ABORTED + 50, Fixtures.count(pool,
                "SELECT occurrences FROM healing.healing_event WHERE node_id = $1 AND status = 'active'", node));
    }
}
