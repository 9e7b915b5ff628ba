package io.mythos.platform.web;

import io.mythos.platform.testing.PlatformEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

/** The shared contract, held by the probe application itself (no service involved). */
@QuarkusTest
class PlatformEndpointsTest extends PlatformEndpointsContract {

    @Override
    protected String sampleRoute() {
        return "/test/probe/ok";
    }

    @Override
    protected String documentedPath() {
        return "/test/probe/items/{id}";
    }
}
