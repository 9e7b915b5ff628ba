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
        return Map.ofEntries(
                Map.entry("GET /assistants", ANYONE),
                Map.entry("GET /assistants/{assistant_id}", ANYONE),
                Map.entry("PUT /assistants/{assistant_id}", Set.of(OPERATOR)),
                Map.entry("DELETE /assistants/{assistant_id}", Set.of(OPERATOR)),
                Map.entry("POST /system/health/signals", Set.of(REPORTER, SERVICE, OPERATOR)),
                Map.entry("GET /system/health/rules", ANYONE),
                Map.entry("PUT /system/health/rules/{kind}", Set.of(OPERATOR)),
                Map.entry("GET /system/health/recovery", ANYONE),
                Map.entry("GET /system/health/recovery/{id}", ANYONE),
                Map.entry("POST /system/health/recovery/{id}/resolve", Set.of(OPERATOR)),
                Map.entry("GET /system/health/silences", ANYONE),
                Map.entry("POST /system/health/silences", Set.of(OPERATOR)),
                Map.entry("GET /system/health/silences/{id}", ANYONE),
                Map.entry("DELETE /system/health/silences/{id}", Set.of(OPERATOR)),
                Map.entry("GET /system/health/storm", ANYONE),
                Map.entry("POST /system/health/storm/{group}/release", Set.of(OPERATOR)),
                Map.entry("GET /system/health/stats", ANYONE),
                Map.entry("GET /system/health/audit", ANYONE));
    }

    /** The console page and its static files are open (README "Console"); the data behind them is not. */
    @Override
    protected List<String> openRoutes() {
        return List.of("/", "/console/console.js", "/console/console.css", "/_static/echarts/dist/echarts.min.js");
    }
}
