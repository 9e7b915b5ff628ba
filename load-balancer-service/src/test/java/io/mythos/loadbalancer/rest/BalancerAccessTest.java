package io.mythos.loadbalancer.rest;

import static io.mythos.platform.security.Roles.OPERATOR;
import static io.mythos.platform.security.Roles.REPORTER;
import static io.mythos.platform.security.Roles.SERVICE;
import static io.mythos.platform.security.Roles.WORKER;

import io.mythos.platform.testing.AccessContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DESIGN.md "Access control" for every route of the load balancer, checked against its OpenAPI document. */
@QuarkusTest
class BalancerAccessTest extends AccessContract {

    @Override
    protected Map<String, Set<String>> allowed() {
        return Map.ofEntries(
                Map.entry("GET /system/load", ANYONE),
                Map.entry("GET /system/load/stream", ANYONE),
                Map.entry("POST /system/load/pressure", Set.of(REPORTER, OPERATOR)),
                Map.entry("DELETE /system/load/assistants/{assistant_id}", Set.of(OPERATOR)),
                Map.entry("DELETE /system/load/codices/{codex_id}", Set.of(OPERATOR)),
                Map.entry("DELETE /system/load/rituals/{ritual_id}", Set.of(OPERATOR)),
                Map.entry("POST /system/load/rebalance", Set.of(SERVICE, OPERATOR)),
                Map.entry("GET /system/load/plans", ANYONE),
                Map.entry("GET /system/load/plans/{plan_id}", ANYONE),
                Map.entry("GET /system/load/tasks", ANYONE),
                Map.entry("POST /system/load/tasks/claim", Set.of(WORKER, OPERATOR)),
                Map.entry("POST /system/load/tasks/{task_id}/complete", Set.of(WORKER, OPERATOR)),
                Map.entry("POST /system/load/tasks/{task_id}/fail", Set.of(WORKER, OPERATOR)));
    }

    /** The console page and its static files are open (README "Console"); the data behind them is not. */
    @Override
    protected List<String> openRoutes() {
        return List.of("/", "/console/console.js", "/console/console.css", "/_static/echarts/dist/echarts.min.js");
    }
}
