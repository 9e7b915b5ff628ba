package io.mythos.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under load, on an embedded server that this suite starts itself (so a failure
 * can never leave another one down): while it is down every write is answered 503 problem+json, never
 * dropped; readiness goes DOWN and comes back UP by itself, and every write that got a 2xx is there
 * afterwards.
 */
class PostgresRestartIT {

    private static final String DB = "mythos_system_pg_restart";

    private static Postgres pg;
    private static MythosSystem sys;

    /** Every answer by status; the requests that got no answer at all; the answers during the outage, by writer. */
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, Queue<Integer>> duringOutage = new ConcurrentHashMap<>();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private volatile long downSince = Long.MAX_VALUE;
    private volatile long upAgainAt = Long.MAX_VALUE;

    @BeforeAll
    static void start() {
        pg = Postgres.privateServer();
        sys = MythosSystem.start(pg, DB, MythosSystem.FAST);
    }

    @AfterAll
    static void stop() {
        if (sys != null) {
            sys.close();
        }
        if (pg != null) {
            pg.destroy();
        }
    }

    /** A stream of writes of one kind: {@code request} writes the row {@code idPrefix + i}. */
    private record Writer(String kind, String idPrefix, int acknowledgedStatus, Function<String, Response> request) {
    }

    @Test
    void restartUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        List<ServiceProcess> services = List.of(sys.healing(), sys.loadBalancer(), sys.daemon());
        AtomicBoolean stop = new AtomicBoolean();
        given().baseUri(sys.healing().url()).contentType(ContentType.JSON)
                .body(Map.of("name", "pg", "group", "g", "zone", "z")).put("/assistants/pg-signaller").then().statusCode(201);
        List<Writer> writers = List.of(
                new Writer("assistant", "pg-a-", 201, id -> given().baseUri(sys.healing().url()).contentType(ContentType.JSON)
                        .body(Map.of("name", id, "group", "g", "zone", "z")).put("/assistants/" + id)),
                new Writer("lb", "pg-l-", 200, id -> given().baseUri(sys.loadBalancer().url()).contentType(ContentType.JSON)
                        .body(Map.of("assistants", List.of(Map.of("assistant_id", id, "group", "pg",
                                "capacity", 1.0, "memory_entropy", 0.0))))
                        .post("/system/load/pressure")),
                // below the threshold: stored, fires nothing (the hot path of the healing service)
                new Writer("signal", "pg-s-", 202, node -> given().baseUri(sys.healing().url()).contentType(ContentType.JSON)
                        .body(Map.of("node_id", node, "assistant_id", "pg-signaller", "kind", "entropy_spike", "value", 0.1))
                        .post("/system/health/signals")),
                new Writer("zone", "pg-z-", 200, zone -> given().baseUri(sys.daemon().url()).contentType(ContentType.JSON)
                        .body(Map.of("assistant_id", "a", "beliefs", Map.of("b", 0.5)))
                        .post("/system/daemon/zones/" + zone + "/beliefs")));
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        List<Future<?>> loops = new ArrayList<>();
        for (Writer w : writers) {
            loops.add(pool.submit(() -> write(stop, w)));
        }

        // Every writer has had writes acknowledged before the server goes away.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> writers.stream().allMatch(w -> acknowledged(w) >= 20));
        int beforeStop = acknowledged.size();
        pg.stop();
        downSince = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> services.stream().allMatch(s -> s.status("/q/health/ready") == 503));
        ServiceProcess.pause(3000);
        upAgainAt = System.nanoTime();
        pg.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> services.stream().allMatch(ServiceProcess::ready));
        int beforeResume = acknowledged.size();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> acknowledged.size() >= beforeResume + 60);
        stop.set(true);
        for (Future<?> f : loops) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdownNow();

        System.out.printf("postgres restart: %d writes acknowledged before the stop, %d in all; answers %s;"
                + " during the outage %s%n", beforeStop, acknowledged.size(), statuses, duringOutage);
        assertTrue(failures.isEmpty(), "every request was answered, as a 2xx or a problem+json 503: " + failures);
        for (Writer w : writers) {
            List<Integer> answers = List.copyOf(duringOutage.getOrDefault(w.kind, new ConcurrentLinkedQueue<>()));
            assertTrue(!answers.isEmpty(), w.kind + " writes were answered while the database was down");
            assertTrue(answers.stream().allMatch(s -> s == 503), w.kind + " writes during the outage: " + answers);
        }

        Set<String> storedSignals = pg.strings(DB, "SELECT node_id FROM healing.signal WHERE node_id LIKE 'pg-s-%'");
        acknowledged.stream().filter(k -> k.startsWith("signal:"))
                .forEach(k -> assertTrue(storedSignals.contains(k.substring(7)), "acknowledged signal lost: " + k));
        for (String key : acknowledged) {
            String id = key.substring(key.indexOf(':') + 1);
            if (key.startsWith("assistant:")) {
                given().baseUri(sys.healing().url()).get("/assistants/" + id).then().statusCode(200);
            } else if (key.startsWith("zone:")) {
                given().baseUri(sys.daemon().url()).get("/system/daemon/zones/" + id).then().statusCode(200);
            }
        }
        List<String> lbAssistants = given().baseUri(sys.loadBalancer().url()).queryParam("group", "pg")
                .get("/system/load").then().statusCode(200).extract().jsonPath().getList("assistants.assistant_id");
        long expectedLb = acknowledged.stream().filter(k -> k.startsWith("lb:")).count();
        assertEquals(expectedLb, acknowledged.stream().filter(k -> k.startsWith("lb:"))
                .filter(k -> lbAssistants.contains(k.substring(3))).count());
    }

    private long acknowledged(Writer w) {
        return acknowledged.stream().filter(k -> k.startsWith(w.kind + ":")).count();
    }

    /**
     * Writes as fast as it can. A 2xx is remembered as acknowledged; a 503 must be problem+json; any
     * other answer, and a request the service did not answer (refused, reset), is a failure.
     */
    private void write(AtomicBoolean stop, Writer w) {
        int i = 0;
        while (!stop.get()) {
            String id = w.idPrefix + i++;
            long startedAt = System.nanoTime();
            Response r;
            try {
                r = w.request.apply(id);
            } catch (RuntimeException e) {
                failures.add(w.kind + " " + id + ": no answer: " + e);
                ServiceProcess.pause(50);
                continue;
            }
            int s = r.statusCode();
            statuses.merge(s, 1, Integer::sum);
            if (startedAt > downSince && System.nanoTime() < upAgainAt) {
                duringOutage.computeIfAbsent(w.kind, k -> new ConcurrentLinkedQueue<>()).add(s);
            }
            if (s == w.acknowledgedStatus) {
                acknowledged.add(w.kind + ":" + id);
            } else if (s == 503) {
                String type = r.contentType();
                if (!type.startsWith("application/problem+json") || !"Service Unavailable".equals(r.jsonPath().getString("title"))) {
                    failures.add(w.kind + " " + id + ": a 503 that is not the problem+json of an unavailable database: "
                            + type + " " + r.asString());
                }
            } else {
                failures.add(w.kind + " " + id + ": answered " + s + " " + r.asString());
            }
        }
    }
}
