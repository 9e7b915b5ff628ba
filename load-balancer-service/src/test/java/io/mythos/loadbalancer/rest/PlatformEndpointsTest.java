package io.mythos.loadbalancer.rest;

import io.mythos.platform.testing.PlatformEndpointsContract;
import io.quarkus.test.junit.QuarkusTest;

/** The operator's endpoints (health bound to the database, OpenAPI, Swagger UI, metrics), as the platform defines them. */
@QuarkusTest
class PlatformEndpointsTest extends PlatformEndpointsContract {

    @Override
    protected String sampleRoute() {
        return "/system/load";
    }

    @Override
    protected String documentedPath() {
        return "/system/load/plans/{plan_id}";
    }
}
