package io.mythos.daemon.rest;

import io.mythos.platform.testing.TestTokens;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Clients that hang up mid-request (STYLE.md pitfall 9): the service keeps answering and its
 * connection pool (20) is not leaked by abandoned transactions.
 */
@QuarkusTest
class AbortedRequestsTest {

    @TestHTTPResource("/")
    URL root;

    private void sendAndHangUp(String path, String json) throws Exception {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + TestTokens.authorization() + "\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        } // closed without reading the answer
    }

    @Test
    void abortedReportsAndRecoveriesLeaveTheServiceAndPoolHealthy() throws Exception {
        String zone = Reports.divergedZone();
        for (int i = 0; i < 60; i++) {
            sendAndHangUp("/system/daemon/zones/" + zone + "/beliefs",
                    "{\"assistant_id\":\"h" + (i % 10) + "\",\"beliefs\":{\"x\":0.5}}");
            sendAndHangUp("/system/daemon/zones/" + zone + "/recover", "");
        }
        // more sequential transactions than the pool has connections: a leak would block these
        for (int i = 0; i < 30; i++) {
            Reports.report(zone, "after-" + i, Map.of("x", 0.5));
        }
        given().when().post("/system/daemon/zones/" + zone + "/recover").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/system/daemon/zones/" + zone).then().statusCode(200)
                .body("replica_states.findAll { it.assistant_id.startsWith('after-') }.size()", equalTo(30));
    }
}
