package io.mythos.loadbalancer.rest;

import static io.mythos.loadbalancer.rest.Problems.assertUtc;
import static io.mythos.loadbalancer.rest.Problems.badRequest;
import static io.mythos.loadbalancer.rest.Problems.notFound;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isOneOf;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** POST /system/load/rebalance and the plan routes. */
@QuarkusTest
class RebalanceResourceTest {

    static {
        Maps.numbersAsDoubles();
    }

    private static double maxUtilization(Maps m) {
        return given().queryParam("group", m.id("g")).when().get("/system/load")
                .then().statusCode(200).extract().jsonPath().getDouble("groups[0].max_utilization");
    }

    @Test
    void aSkewedGroupIsRebalancedAppliedAndStored() {
        Maps m = Maps.skewed().post();
        // 24 pressure on a0 (utilization 2.4), mean 0.6, target max(0.6, 1.05 × 0.6) = 0.63: at most 3 codices each
        JsonPath plan = given().contentType(ContentType.JSON).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("plan_id", notNullValue())
                .body("scope.group", equalTo(m.id("g")))
                .body("dry_run", is(false)).body("applied", is(true))
                .body("before.max_utilization", closeTo(2.4, 1e-9))
                .body("before.mean_utilization", closeTo(0.6, 1e-9))
                .body("before.imbalance", closeTo(4.0, 1e-9))
                .body("after.max_utilization", closeTo(0.6, 1e-9))
                .body("after.imbalance", closeTo(1.0, 1e-9))
                .body("pressure_reduction", closeTo(0.75, 1e-9))
                .body("redistribution", hasSize(9))
                .body("moved_pressure", closeTo(18.0, 1e-9))
                .body("redistribution.from_assistant", everyItem(equalTo(m.id("a0"))))
                .body("redistribution.to_assistant", everyItem(isOneOf(m.id("a1"), m.id("a2"), m.id("a3"))))
                .body("decentralization_tasks", hasSize(0))
                .body("ritual_spread", hasSize(0))
                .body("computed_in_ms", notNullValue())
                .body("created_at", containsString("T"))
                .extract().jsonPath();
        assertEquals(0.6, maxUtilization(m), 1e-9);
        assertUtc(plan.getString("created_at"));

        String id = plan.getString("plan_id");
        given().when().get("/system/load/plans/" + id).then().statusCode(200).contentType(ContentType.JSON)
                .body("plan_id", equalTo(id)).body("redistribution", hasSize(9)).body("applied", is(true));
        given().queryParam("limit", 100).when().get("/system/load/plans").then().statusCode(200).contentType(ContentType.JSON)
                .body("plans.plan_id", hasItem(id)).body("total", greaterThan(0));

        // stable: planning the applied result again moves nothing
        given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"))).when().post("/system/load/rebalance")
                .then().statusCode(200).body("redistribution", hasSize(0)).body("pressure_reduction", closeTo(0.0, 1e-12));
    }

    @Test
    void dryRunChangesNothing() {
        Maps m = Maps.skewed().post();
        given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"), "dry_run", true, "max_moves", 2))
                .when().post("/system/load/rebalance")
                .then().statusCode(200).body("dry_run", is(true)).body("applied", is(false))
                .body("redistribution", hasSize(2)).body("after.max_utilization", closeTo(2.0, 1e-9));
        assertEquals(2.4, maxUtilization(m), 1e-9);
    }

    @Test
    void targetImbalanceLoosensTheTarget() {
        Maps m = Maps.skewed().post();
        // target 1.5 × 0.6 = 0.9: a0 keeps 4 codices (0.8), 8 move (9 at the default 1.05)
        given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"), "target_imbalance", 1.5))
                .when().post("/system/load/rebalance")
                .then().statusCode(200).body("redistribution", hasSize(8)).body("after.max_utilization", closeTo(0.8, 1e-9));
    }

    @Test
    void noTargetLeavesAnAssistantAboveOneThatCouldBeRelieved() {
        Maps m = Maps.skewed().post();
        // target_imbalance 2 would allow 2 × 0.6 = 1.2, but every assistant can be at or below 1.0: the target
        // is 1.0, so a0 keeps 5 codices (1.0) and 7 move
        given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"), "target_imbalance", 2.0))
                .when().post("/system/load/rebalance")
                .then().statusCode(200).body("redistribution", hasSize(7)).body("after.max_utilization", closeTo(1.0, 1e-9));
    }

    @Test
    void aCodexTooHeavyToMoveBecomesASplitTask() {
        Maps m = new Maps().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0)
                .codex("hot", "a0", 9).codex("c", "a0", 1).readMostlyCodex("read", "a1", 12).post();
        // 9 > 0.8 × 10: not moved; split into ceil(9 / 5) = 2 shards; the read-mostly one is replicated
        given().contentType(ContentType.JSON).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance")
                .then().statusCode(200)
                .body("decentralization_tasks", hasSize(2))
                .body("decentralization_tasks[1].codex_id", equalTo(m.id("read")))
                .body("decentralization_tasks[1].action", equalTo("replicate"))
                .body("decentralization_tasks[1].shards", equalTo(3))
                .body("decentralization_tasks[0].codex_id", equalTo(m.id("hot")))
                .body("decentralization_tasks[0].action", equalTo("split"))
                .body("decentralization_tasks[0].shards", equalTo(2))
                .body("decentralization_tasks[0].status", equalTo("pending"))
                .body("decentralization_tasks[0].task_id", notNullValue())
                .body("redistribution.codex_id", not(hasItem(m.id("hot"))));
        given().queryParam("status", "pending").queryParam("limit", 500).when().get("/system/load/tasks")
                .then().statusCode(200).body("tasks.codex_id", hasItem(m.id("hot")));
    }

    @Test
    void anAssistantScopeRelievesThatAssistantAndSpreadsItsRituals() {
        // a0: a codex of 9, too heavy to move (more than 0.8 × 10: it gets a split task), and rituals 8 on
        // capacity 10 → 1.7; only its rituals can relieve it
        Maps m = new Maps().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0).assistant("a2", "g", 10, 0)
                .codex("c0", "a0", 9).codex("c1", "a1", 5).codex("c2", "a2", 5)
                .ritual("low", "a0", 1, "low").ritual("normal", "a0", 1, "normal").ritual("crit", "a0", 6, "critical")
                .post();
        JsonPath plan = given().contentType(ContentType.JSON).body(Map.of("assistant_id", m.id("a0")))
                .when().post("/system/load/rebalance")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("scope.assistant_id", equalTo(m.id("a0")))
                .body("scope.group", equalTo(m.id("g")))
                .body("ritual_spread", not(hasSize(0)))
                .body("ritual_spread.from_assistant", everyItem(equalTo(m.id("a0"))))
                .extract().jsonPath();
        List<Map<String, Object>> spread = plan.getList("ritual_spread");
        for (Map<String, Object> s : spread) {
            String expected = switch (((String) s.get("ritual_id")).substring(9)) {
                case "low" -> "defer";
                case "normal" -> "offload";
                default -> "clone";
            };
            assertEquals(expected, s.get("action"));
        }
        assertEquals(Set.of("defer", "offload", "clone"), new HashSet<>(plan.getList("ritual_spread.action")));
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200)
                .body("assistants.find { it.assistant_id == '" + m.id("a0") + "' }.utilization", closeTo(1.2, 1e-9));
    }

    @Test
    void unknownScopeIs404AndBadRequestsAre400() {
        given().contentType(ContentType.JSON).body(Map.of("group", "nothing-" + System.nanoTime()))
                .when().post("/system/load/rebalance")
                .then().spec(notFound()).body("detail", containsString("nothing-"));
        given().contentType(ContentType.JSON).body(Map.of("assistant_id", "nobody-" + System.nanoTime()))
                .when().post("/system/load/rebalance")
                .then().spec(notFound()).body("detail", containsString("nobody-"));
        given().contentType(ContentType.JSON).body(Map.of("group", "g", "assistant_id", "a"))
                .when().post("/system/load/rebalance")
                .then().spec(badRequest()).body("violations[0].field", equalTo("assistant_id"));
        given().contentType(ContentType.JSON).body(Map.of("target_imbalance", 0.5)).when().post("/system/load/rebalance")
                .then().spec(badRequest()).body("violations[0].field", equalTo("target_imbalance"));
        given().contentType(ContentType.JSON).body(Map.of("max_moves", -1)).when().post("/system/load/rebalance")
                .then().spec(badRequest()).body("violations[0].field", equalTo("max_moves"));
        given().contentType(ContentType.JSON).body(Map.of("dry_run", "yes")).when().post("/system/load/rebalance")
                .then().spec(badRequest()).body("violations[0].field", equalTo("dry_run"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", "k".repeat(201)).body(Map.of("dry_run", true))
                .when().post("/system/load/rebalance").then().spec(badRequest());
    }

    @Test
    void planRoutesErrors() {
        given().when().get("/system/load/plans/" + java.util.UUID.randomUUID()).then().spec(notFound());
        given().when().get("/system/load/plans/not-a-uuid").then().spec(badRequest());
        given().queryParam("limit", 0).when().get("/system/load/plans")
                .then().spec(badRequest()).body("violations[0].field", equalTo("limit"));
        given().queryParam("offset", -1).when().get("/system/load/plans")
                .then().spec(badRequest()).body("violations[0].field", equalTo("offset"));
    }

    @Test
    void theNewestPlanComesFirstAsASummary() {
        Maps m = Maps.skewed().post();
        String id = given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"), "dry_run", true))
                .when().post("/system/load/rebalance").then().statusCode(200).extract().path("plan_id");
        JsonPath page = given().queryParam("limit", 1).queryParam("offset", 0).when().get("/system/load/plans")
                .then().statusCode(200).body("plans", hasSize(1)).body("total", greaterThan(0))
                .body("plans[0].plan_id", equalTo(id))
                .body("plans[0].scope", equalTo(Map.of("group", m.id("g"))))
                .body("plans[0].dry_run", is(true)).body("plans[0].applied", is(false))
                .body("plans[0].counts.redistribution", equalTo(9))
                .body("plans[0].counts.decentralization_tasks", equalTo(0))
                .body("plans[0].counts.ritual_spread", equalTo(0))
                .extract().jsonPath();
        // the lists are counted, never listed: a page's size does not grow with the plans' (README "Plans")
        assertEquals(Set.of("plan_id", "scope", "dry_run", "applied", "before", "after", "pressure_reduction",
                "moved_pressure", "counts", "computed_in_ms", "created_at"), page.getMap("plans[0]").keySet());
        assertEquals(Set.of("max_utilization", "mean_utilization", "imbalance"), page.getMap("plans[0].after").keySet());
        assertUtc(page.getString("plans[0].created_at"));
        // the summary's figures are the plan's, and the whole plan is at its own route
        JsonPath plan = given().when().get("/system/load/plans/" + id).then().statusCode(200).contentType(ContentType.JSON)
                .body("redistribution", hasSize(9)).extract().jsonPath();
        for (String field : List.of("before", "after", "pressure_reduction", "moved_pressure", "computed_in_ms", "created_at")) {
            assertEquals((Object) plan.get(field), page.get("plans[0]." + field), field);
        }
    }

    /**
     * Issue 12: a page of 500 whole-map plans of 10,000 codices each outgrew the heap (500). A page now
     * holds summaries: plans of thousands of entries make a page no bigger than plans of none, and one such
     * plan is still answered whole at its own route.
     */
    @Test
    void aPageOfHugePlansStaysSmallAndEachPlanIsWholeAtItsRoute() {
        Maps m = new Maps().assistant("hot", "g", 1e9, 0).assistant("cold", "g", 1e9, 0);
        for (int i = 0; i < 3000; i++) {
            m.codex("c" + i + "-" + "x".repeat(100), "hot", 1e6);
        }
        m.post();
        List<String> ids = new java.util.ArrayList<>();
        int moves = 0;
        for (int i = 0; i < 5; i++) {
            JsonPath plan = given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"), "dry_run", true))
                    .when().post("/system/load/rebalance").then().statusCode(200).extract().jsonPath();
            moves = plan.getList("redistribution").size();
            ids.add(0, plan.getString("plan_id")); // newest first
        }
        assertTrue(moves >= 1000, "a plan of many moves: " + moves);
        String body = given().queryParam("limit", 5).when().get("/system/load/plans").then().statusCode(200)
                .body("plans.plan_id", equalTo(ids))
                .body("plans.counts.redistribution", everyItem(equalTo(moves)))
                .extract().asString();
        // each summary under 1 KiB (the longest scope ids are 150 characters), where each plan is over 200 KiB
        assertTrue(body.length() < 5 * 1024, "a page of 5 summaries is " + body.length() + " characters");
        String whole = given().when().get("/system/load/plans/" + ids.get(0)).then().statusCode(200)
                .contentType(ContentType.JSON).body("plan_id", equalTo(ids.get(0)))
                .body("redistribution", hasSize(moves)).extract().asString();
        assertTrue(whole.length() > 200 * 1024, "the whole plan is " + whole.length() + " characters");
    }
}
