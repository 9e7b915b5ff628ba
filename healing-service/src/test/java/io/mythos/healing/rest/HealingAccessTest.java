package io.mythos.healing.rest;

import static io.mythos.platform.security.Roles.OPERATOR;
import static io.mythos.platform.security.Roles.REPORTER;
import static io.mythos.platform.security.Roles.SERVICE;

import io.mythos.platform.testing.AccessContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DESIGN.md "Access control" for every route of the healing service, checked against its OpenAPI document. */
@QuarkusTest
class HealingAccessTest extends AccessContract {

    @Override
    protected Map<String, Set<String>> allowed() {
        return Map.of(
                "GET /assistants", ANYONE,
                "GET /assistants/{assistant_id}", ANYONE,
                "PUT /assistants/{assistant_id}", Set.of(OPERATOR),
                "DELETE /assistants/{assistant_id}", Set.of(OPERATOR),
                "POST /system/health/signals", Set.of(REPORTER, SERVICE, OPERATOR),
                "GET /system/health/rules", ANYONE,
                "PUT /system/health/rules/{kind}", Set.of(OPERATOR),
                "GET /system/health/recovery", ANYONE,
                "GET /system/health/recovery/{id}", ANYONE);
    }

    /** The console page and its static files are open (README "Console"); the data behind them is not. */
    @Override
    protected List<String> openRoutes() {
        return List.of("/", "/console/console.js", "/console/console.css", "/_static/echarts/dist/echarts.min.js");
    }
}
