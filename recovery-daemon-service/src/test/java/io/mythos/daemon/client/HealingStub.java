package io.mythos.daemon.client;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/** A WireMock stand-in for the healing service, on a fixed free port so that a test can stop and restart it. */
public class HealingStub implements QuarkusTestResourceLifecycleManager {

    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = new WireMockServer(options().port(port));
        server.start();
        return Map.of("quarkus.rest-client.healing.url", "http://localhost:" + port,
                // short enough that the "down" and "slow" cases stay quick
                "io.mythos.daemon.client.HealingClient/signal/Retry/delay", "50");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
