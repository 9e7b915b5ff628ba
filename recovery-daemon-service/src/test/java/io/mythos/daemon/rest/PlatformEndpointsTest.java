package io.mythos.daemon.rest;

import io.mythos.platform.testing.PlatformEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

/** The operator's endpoints (health bound to the database, OpenAPI, Swagger UI, metrics), as the platform defines them. */
@QuarkusTest
class PlatformEndpointsTest extends PlatformEndpointsContract {

    @Override
    protected String sampleRoute() {
        return "/system/daemon";
    }

    @Override
    protected String documentedPath() {
        return "/system/daemon/zones/{zone}";
    }
}
