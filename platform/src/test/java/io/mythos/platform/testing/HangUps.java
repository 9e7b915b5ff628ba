package io.mythos.platform.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Clients that hang up mid-request (STYLE.md pitfall 9), the same for every service: many requests cut
 * at every point a client can give up, in parallel, and the checks that the service is unharmed
 * afterwards. A raw socket cuts exactly where asked (java.net.http timeouts do not reliably abort
 * mid-body); a java.net.http client with a timeout of a few milliseconds gives up wherever it is.
 */
public final class HangUps {

    /** Where a client stops: every way of giving up is used in turn. */
    public enum Cut {
        /** The request line and part of the headers, never their end. */
        PART_OF_HEADERS,
        /** All headers (with the whole body's Content-Length), no body. */
        HEADERS,
        /** All headers and half of the body. */
        HALF_BODY,
        /** The whole request, then a close without reading the answer. */
        WHOLE,
        /** The whole request, then a reset (SO_LINGER 0) without reading the answer. */
        WHOLE_THEN_RESET,
        /** java.net.http with a timeout of 1 to 5 ms: the client gives up wherever it happens to be. */
        CLIENT_TIMEOUT
    }

    private static final Cut[] CUTS = Cut.values();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HangUps() {
    }

    /** One request: method, path with its query, headers (Authorization is added) and an optional JSON body. */
    public record Call(String method, String path, Map<String, String> headers, String body) {

        public static Call post(String path, String json) {
            return new Call("POST", path, Map.of(), json);
        }

        public static Call put(String path, String json) {
            return new Call("PUT", path, Map.of(), json);
        }

        public static Call delete(String path) {
            return new Call("DELETE", path, Map.of(), null);
        }

        public Call header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Call(method, path, Map.copyOf(h), body);
        }

        byte[] bytes() {
            return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        }

        byte[] head() {
            StringBuilder s = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n")
                    .append("Authorization: ").append(TestTokens.authorization()).append("\r\n");
            if (body != null) {
                s.append("Content-Type: application/json\r\n");
            }
            headers.forEach((k, v) -> s.append(k).append(": ").append(v).append("\r\n"));
            s.append("Content-Length: ").append(bytes().length).append("\r\n\r\n");
            return s.toString().getBytes(StandardCharsets.UTF_8);
        }

        HttpRequest request(URI base, Duration timeout) {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                    .header("Authorization", TestTokens.authorization())
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            headers.forEach(b::header);
            return b.build();
        }
    }

    /**
     * Sends {@code count} calls made by {@code call} (given 0 … count−1), 16 at a time, each cut in turn at
     * every {@link Cut}, and returns when every client has hung up and the service has finished with what
     * they sent ({@link #settle()}). No answer is read.
     */
    public static void hangUp(URI base, int count, IntFunction<Call> call) {
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Call c = call.apply(i);
                Cut cut = CUTS[i % CUTS.length];
                sent.add(clients.submit(() -> {
                    cut(base, c, cut);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } catch (Exception e) {
            throw new AssertionError("a hang-up could not be sent", e);
        } finally {
            clients.shutdownNow();
        }
        settle();
    }

    /**
     * Waits until the service is done with the hung-up requests: a client that gave up does not wait for
     * the write it started. Done means that for 500 ms in a row no session of the test database is running
     * a statement or inside a transaction; a database busy for 15 s after the hang-ups fails the test.
     */
    public static void settle() {
        try (var db = database()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofMillis(500).toNanos()) {
                if (busySessions(db, "state = 'active' OR state LIKE 'idle in transaction%'") > 0) {
                    quietSince = System.nanoTime();
                }
                if (System.nanoTime() > deadline) {
                    fail("the test database stayed busy for 15 s after the hang-ups");
                }
                sleep(20);
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** One client that hangs up at {@code cut}. */
    public static void cut(URI base, Call call, Cut cut) throws IOException {
        if (cut == Cut.CLIENT_TIMEOUT) {
            try {
                HTTP.send(call.request(base, Duration.ofMillis(1 + (call.hashCode() & 3))), HttpResponse.BodyHandlers.discarding());
            } catch (IOException timedOutOrAnswered) {
                // the point: it gave up (or, rarely, the answer came first)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        byte[] head = call.head();
        byte[] body = call.bytes();
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = s.getOutputStream();
            switch (cut) {
                case PART_OF_HEADERS -> out.write(head, 0, head.length / 2);
                case HEADERS -> out.write(head);
                case HALF_BODY -> {
                    out.write(head);
                    out.write(body, 0, body.length / 2);
                }
                default -> {
                    out.write(head);
                    out.write(body);
                }
            }
            out.flush();
            if (cut == Cut.WHOLE_THEN_RESET) {
                s.setSoLinger(true, 0);
            }
        } // closed without reading the answer
    }

    /** The call, answered: for the checks after the hang-ups. */
    public static HttpResponse<String> send(URI base, Call call) {
        try {
            return HTTP.send(call.request(base, Duration.ofSeconds(30)), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(call.method() + " " + call.path() + " got no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Sends the call and fails unless the answer is 2xx; returns it. */
    public static HttpResponse<String> ok(URI base, Call call) {
        HttpResponse<String> r = send(base, call);
        if (r.statusCode() / 100 != 2) {
            fail(call.method() + " " + call.path() + " answered " + r.statusCode() + " after the hang-ups: " + r.body());
        }
        return r;
    }

    /** The size of the service's reactive pool (quarkus.datasource.reactive.max-size). */
    public static int poolSize() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.max-size", Integer.class);
    }

    /**
     * More calls than the pool holds connections, one after the other, every one answered 2xx: a leaked
     * connection per hang-up would exhaust the pool and turn them into 503s after the acquire timeout.
     */
    public static void answersInTurn(URI base, IntFunction<Call> call) {
        int times = poolSize() + 3;
        for (int i = 0; i < times; i++) {
            ok(base, call.apply(i));
        }
    }

    /**
     * Every connection of the service's pool can be taken at once (waiting at most 10 s for the ones in
     * use to come back): a connection leaked by an abandoned request never comes back. Then none of the
     * test database's sessions is left inside a transaction: an abandoned transaction would be.
     */
    public static void nothingLeaked(Pool pool) {
        int size = poolSize();
        List<SqlConnection> taken = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                taken.add(pool.getConnection().await().atMost(Duration.ofSeconds(10)));
            }
        } catch (RuntimeException e) {
            throw new AssertionError("only " + taken.size() + " of the pool's " + size + " connections could be taken: leaked ("
                    + e + "); the test database's sessions, with the last statement of each: " + sessions(), e);
        } finally {
            taken.forEach(c -> c.close().await().atMost(Duration.ofSeconds(5)));
        }
        try (var db = database()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long open;
            do {
                open = busySessions(db, "state LIKE 'idle in transaction%'");
                if (open == 0) {
                    return;
                }
                sleep(100);
            } while (System.nanoTime() < deadline);
            assertTrue(open == 0, open + " session(s) of the test database stayed inside a transaction for 10 s: abandoned");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * {@link #nothingLeaked(Pool)}, and then the pool's own gauge ({@code sql_pool_idle} of /q/metrics) counts
     * every connection idle again within 10 s.
     */
    public static void nothingLeaked(URI base, Pool pool) {
        nothingLeaked(pool);
        await("every pooled connection idle in sql_pool_idle", Duration.ofSeconds(10), () -> idleInPool(base) == poolSize());
    }

    private static double idleInPool(URI base) {
        String line = send(base, new Call("GET", "/q/metrics", Map.of(), null)).body().lines()
                .filter(l -> l.startsWith("sql_pool_idle{") && l.contains("pool_type=\"sql\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no sql_pool_idle gauge in /q/metrics"));
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static java.sql.Connection database() throws java.sql.SQLException {
        TestPostgres db = TestPostgres.database();
        return java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    /** Every other session of the test database: its state, for how long, and its last statement (what a leak last ran). */
    private static String sessions() {
        StringBuilder out = new StringBuilder();
        try (var db = database();
             var st = db.prepareStatement("SELECT state, now() - state_change, left(query, 160) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY state_change");
             var rows = st.executeQuery()) {
            while (rows.next()) {
                out.append("\n  ").append(rows.getString(1)).append(" for ").append(rows.getString(2)).append(": ")
                        .append(rows.getString(3).replaceAll("\\s+", " "));
            }
        } catch (java.sql.SQLException e) {
            out.append("(unreadable: ").append(e).append(')');
        }
        return out.toString();
    }

    /** Sessions of the test database other than this one in a state (an SQL condition on pg_stat_activity). */
    private static long busySessions(java.sql.Connection conn, String state) throws java.sql.SQLException {
        try (var st = conn.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND (" + state + ")");
             var rows = st.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Waits up to {@code within} for {@code done}, polling. */
    public static void await(String what, Duration within, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            sleep(50);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
