package io.mythos.platform.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * A service's peers, stubbed by one WireMock server on a random port. It can be stopped (connections
 * refused) and started again on the same port, as a peer that goes down and comes back.
 */
public final class PeerStub {

    private WireMockServer server;
    private final int port;

    public PeerStub() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        port = server.port();
    }

    public WireMockServer server() {
        return server;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public void down() {
        server.stop();
    }

    /** A fresh server on the same port: no stubs, an empty request journal. */
    public void up() {
        server = new WireMockServer(WireMockConfiguration.options().port(port));
        server.start();
    }

    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
    }
}
