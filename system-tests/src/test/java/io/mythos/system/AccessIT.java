package io.mythos.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Access control" on a packaged service, as a user runs it: no verification key, no start (one line
 * saying what to set); with the key pair and tokens of the shipped tool (bin/MythosJwt.java, behind bin/mythos),
 * each role gets what it may and nothing more.
 */
class AccessIT {

    private static final String DB = "mythos_system_access";
    private static Postgres pg;
    private static ServiceProcess balancer;

    @BeforeAll
    static void start() {
        pg = Postgres.forSuites();
        pg.recreate(DB);
        Map<String, String> env = database();
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", SystemTokens.keys().resolve("publicKey.pem").toString());
        env.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", SystemTokens.keys().resolve("privateKey.pem").toString());
        balancer = new ServiceProcess(MythosSystem.LOAD_BALANCER, ServiceProcess.freePort(), env, logDir(), "keys");
        balancer.start();
        balancer.awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (balancer != null) {
            balancer.stop();
        }
    }

    @Test
    void withoutAVerificationKeyAServiceRefusesToStartSayingWhatToSet() throws Exception {
        ServiceProcess keyless = new ServiceProcess(MythosSystem.LOAD_BALANCER, ServiceProcess.freePort(), database(), logDir(), "nokey");
        keyless.start();
        try {
            assertNotEquals(0, keyless.awaitExit(Duration.ofSeconds(120)), "it must not run without a key");
        } finally {
            keyless.stop();
        }
        List<String> lines = Files.readAllLines(keyless.log());
        String message = "No key to verify bearer tokens with: set MP_JWT_VERIFY_PUBLICKEY_LOCATION (mp.jwt.verify.publickey.location)";
        assertTrue(lines.stream().anyMatch(l -> l.contains(message)), () -> String.join("\n", lines));
        // the message stands alone: no stack trace after it to bury it
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Failed to start")), () -> String.join("\n", lines));
    }

    @Test
    void eachRoleGetsWhatItMayAndNothingMore() {
        String base = balancer.url();
        String map = "{\"assistants\": [{\"assistant_id\": \"acc-a\", \"group\": \"acc\", \"capacity\": 10, \"memory_entropy\": 0}]}";
        given().baseUri(base).auth().none().get("/system/load").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"));
        String viewer = SystemTokens.token("acc-viewer", 300, "viewer");
        String reporter = SystemTokens.token("acc-reporter", 300, "reporter");
        given().baseUri(base).auth().oauth2(viewer).get("/system/load").then().statusCode(200);
        given().baseUri(base).auth().oauth2(viewer).contentType(ContentType.JSON).body(map).post("/system/load/pressure")
                .then().statusCode(403).contentType("application/problem+json");
        given().baseUri(base).auth().oauth2(reporter).contentType(ContentType.JSON).body(map).post("/system/load/pressure")
                .then().statusCode(200);
        given().baseUri(base).auth().oauth2(reporter).contentType(ContentType.JSON).body("{}").post("/system/load/rebalance")
                .then().statusCode(403);
        given().baseUri(base).auth().oauth2(viewer.substring(0, viewer.length() - 4) + "AAAA").get("/system/load")
                .then().statusCode(401);
        for (String open : List.of("/q/health/ready", "/q/metrics", "/q/openapi")) {
            given().baseUri(base).auth().none().get(open).then().statusCode(200);
        }
    }

    private static Map<String, String> database() {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl(DB));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(DB));
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.user);
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password);
        return env;
    }

    private static Path logDir() {
        return Path.of("target", "system-logs", DB).toAbsolutePath();
    }
}
