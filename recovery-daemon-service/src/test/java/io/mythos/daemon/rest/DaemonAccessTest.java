package io.mythos.daemon.rest;

import static io.mythos.platform.security.Roles.OPERATOR;
import static io.mythos.platform.security.Roles.REPORTER;
import static io.mythos.platform.security.Roles.SERVICE;

import io.mythos.platform.testing.AccessContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DESIGN.md "Access control" for every route of the recovery daemon, checked against its OpenAPI document. */
@QuarkusTest
class DaemonAccessTest extends AccessContract {

    @Override
    protected Map<String, Set<String>> allowed() {
        return Map.of(
                "GET /system/daemon", ANYONE,
                "GET /system/daemon/zones/{zone}", ANYONE,
                "GET /system/daemon/zones/{zone}/events", ANYONE,
                "POST /system/daemon/zones/{zone}/beliefs", Set.of(REPORTER, OPERATOR),
                "POST /system/daemon/zones/{zone}/recover", Set.of(SERVICE, OPERATOR),
                "POST /system/daemon/cycle", Set.of(OPERATOR));
    }

    /** The console page and its static files are open (README "Console"); the data behind them is not. */
    @Override
    protected List<String> openRoutes() {
        return List.of("/", "/console/console.js", "/console/console.css", "/_static/echarts/dist/echarts.min.js");
    }
}
