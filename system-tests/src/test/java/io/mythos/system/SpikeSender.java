package io.mythos.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The benchmark's load generator for signals: the JDK's HTTP client on kept-alive connections. REST-assured
 * (the suites' client) cost about 3 ms of CPU per request on this 2-core machine, taken from the very cores
 * the services and PostgreSQL share; this costs a fraction of it, so the figures measure the system.
 */
final class SpikeSender {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI signals;
    private final String authorization = "Bearer " + SystemTokens.operator();

    SpikeSender(String healingUrl) {
        this.signals = URI.create(healingUrl + "/system/health/signals");
    }

    /** Posts one entropy spike at 0.9 for {@code node} on {@code assistant}; fails unless it is accepted (202). */
    void spike(String node, String assistant) throws IOException, InterruptedException {
        String body = "{\"node_id\":\"" + node + "\",\"assistant_id\":\"" + assistant
                + "\",\"kind\":\"entropy_spike\",\"value\":0.9}";
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(signals).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 202) {
            throw new IllegalStateException("signal for " + node + " answered " + answer.statusCode() + ": " + answer.body());
        }
    }
}
