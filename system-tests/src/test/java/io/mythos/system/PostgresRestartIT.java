package io.mythos.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under load, on a private server that this suite starts itself (so a failure
 * can never leave the shared one down): readiness goes DOWN and comes back UP by itself, and every
 * write that got a 2xx is there afterwards.
 */
class PostgresRestartIT {

    private static Postgres pg;
    private static MythosSystem sys;

    @BeforeAll
    static void start() {
        pg = Postgres.privateServer();
        sys = MythosSystem.start(pg, "mythos", MythosSystem.FAST);
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

    @Test
    void restartUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        List<ServiceProcess> services = List.of(sys.healing(), sys.loadBalancer(), sys.daemon());
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        given().baseUri(sys.healing().url()).contentType(ContentType.JSON)
                .body(Map.of("name", "pg", "group", "g", "zone", "z")).put("/assistants/pg-signaller").then().statusCode(201);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = List.of(
                writers.submit(() -> write(stop, acknowledged, i -> {
                    String id = "pg-a-" + i;
                    int s = given().baseUri(sys.healing().url()).contentType(ContentType.JSON)
                            .body(Map.of("name", id, "group", "g", "zone", "z")).put("/assistants/" + id).statusCode();
                    STATUSES.merge(s, 1, Integer::sum);
                    return s == 201 ? "assistant:" + id : null;
                })),
                writers.submit(() -> write(stop, acknowledged, i -> {
                    String id = "pg-l-" + i;
                    int s = given().baseUri(sys.loadBalancer().url()).contentType(ContentType.JSON)
                            .body(Map.of("assistants", List.of(Map.of("assistant_id", id, "group", "pg",
                                    "capacity", 1.0, "memory_entropy", 0.0))))
                            .post("/system/load/pressure").statusCode();
                    STATUSES.merge(s, 1, Integer::sum);
                    return s == 200 ? "lb:" + id : null;
                })),
                writers.submit(() -> write(stop, acknowledged, i -> {
                    // below the threshold: stored, fires nothing (the hot path of the healing service)
                    String node = "pg-s-" + i;
                    int s = given().baseUri(sys.healing().url()).contentType(ContentType.JSON)
                            .body(Map.of("node_id", node, "assistant_id", "pg-signaller", "kind", "entropy_spike", "value", 0.1))
                            .post("/system/health/signals").statusCode();
                    STATUSES.merge(s, 1, Integer::sum);
                    return s == 202 ? "signal:" + node : null;
                })),
                writers.submit(() -> write(stop, acknowledged, i -> {
                    String zone = "pg-z-" + i;
                    int s = given().baseUri(sys.daemon().url()).contentType(ContentType.JSON)
                            .body(Map.of("assistant_id", "a", "beliefs", Map.of("b", 0.5)))
                            .post("/system/daemon/zones/" + zone + "/beliefs").statusCode();
                    STATUSES.merge(s, 1, Integer::sum);
                    return s == 200 ? "zone:" + zone : null;
                })));

        // Every writer has had writes acknowledged before the server goes away.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> List.of("assistant:", "lb:", "zone:", "signal:").stream()
                        .allMatch(p -> acknowledged.stream().filter(k -> k.startsWith(p)).count() >= 20));
        int beforeStop = acknowledged.size();
        pg.stop();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> services.stream().allMatch(s -> s.status("/q/health/ready") == 503));
        ServiceProcess.pause(3000);
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
        writers.shutdownNow();

        System.out.printf("postgres restart: %d writes acknowledged before the stop, %d in all; answers %s%n",
                beforeStop, acknowledged.size(), STATUSES);
        Set<String> storedSignals = pg.strings("mythos", "SELECT node_id FROM healing.signal WHERE node_id LIKE 'pg-s-%'");
        acknowledged.stream().filter(k -> k.startsWith("signal:"))
                .forEach(k -> assertTrue(storedSignals.contains(k.substring(7)), "acknowledged signal lost: " + k));
        assertTrue(STATUSES.keySet().stream().allMatch(s -> s < 300 || s == 503),
                "while the database was down the services answered 503, never another error: " + STATUSES);
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

    private static final Map<Integer, Integer> STATUSES = new ConcurrentHashMap<>();

    private interface Write {
        String attempt(int i);
    }

    /** Writes as fast as it can; what got a 2xx is remembered, anything else (5xx while down) is not. */
    private static void write(AtomicBoolean stop, Set<String> acknowledged, Write w) {
        int i = 0;
        while (!stop.get()) {
            try {
                String key = w.attempt(i++);
                if (key != null) {
                    acknowledged.add(key);
                }
            } catch (RuntimeException e) {
                ServiceProcess.pause(50); // connection refused or reset: try the next one
            }
        }
    }
}
