package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A plan's {@code after} is the scope as the live map shows it once the plan is applied: codex moves and
 * the ritual spread (a deferred ritual counts 0 until it is due, an offloaded one on its new assistant, a
 * clone's share on both), and its {@code before} is the live map before.
 */
@QuarkusTest
class PlanAfterTest {

    static {
        Maps.numbersAsDoubles();
    }

    private static JsonPath liveGroup(Maps m) {
        return given().queryParam("group", m.id("g")).when().get("/system/load")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void assertFiguresEqual(JsonPath plan, String figures, JsonPath live) {
        assertEquals(live.getDouble("groups[0].max_utilization"), plan.getDouble(figures + ".max_utilization"), 1e-9);
        assertEquals(live.getDouble("groups[0].mean_utilization"), plan.getDouble(figures + ".mean_utilization"), 1e-9);
        assertEquals(live.getDouble("groups[0].imbalance"), plan.getDouble(figures + ".imbalance"), 1e-9);
    }

    private static double ritualDensity(JsonPath live, String assistant) {
        return live.getDouble("assistants.find { it.assistant_id == '" + assistant + "' }.ritual_density");
    }

    @ParameterizedTest(name = "scope {0}")
    @ValueSource(strings = {"group", "assistant_id"})
    void applyingThePlanMakesTheLiveMapShowItsAfter(String scope) {
        // a0 carries codices 2 + 2 and rituals 1 (low), 1 (normal), 12 (critical): 18 on 10. Its rituals alone
        // keep it at 1.4, so it sheds both codices (to a1) and then spreads: defers the low one, offloads the
        // normal one to a2 and clones half of the critical one to a1.
        Maps m = new Maps().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0).assistant("a2", "g", 10, 0)
                .codex("x", "a0", 2).codex("y", "a0", 2).codex("z", "a2", 3)
                .ritual("low", "a0", 1, "low").ritual("normal", "a0", 1, "normal").ritual("crit", "a0", 12, "critical")
                .post();
        JsonPath before = liveGroup(m);
        Map<String, String> body = Map.of(scope, m.id(scope.equals("group") ? "g" : "a0"));
        JsonPath plan = given().contentType(ContentType.JSON).body(body).when().post("/system/load/rebalance")
                .then().statusCode(200)
                .body("redistribution", hasSize(2)).body("ritual_spread", hasSize(3))
                .body("before.max_utilization", closeTo(1.8, 1e-9))
                .body("after.max_utilization", closeTo(1.0, 1e-9))
                .body("after.mean_utilization", closeTo(20.0 / 30, 1e-9)) // 21 in all, less the deferred 1
                .body("pressure_reduction", closeTo((1.8 - 1.0) / 1.8, 1e-9))
                .extract().jsonPath();
        assertEquals(Set.of("defer", "offload", "clone"), Set.copyOf(plan.getList("ritual_spread.action", String.class)));
        assertFiguresEqual(plan, "before", before);

        JsonPath after = liveGroup(m);
        assertFiguresEqual(plan, "after", after);
        // a0: 12 - 6 (the clone's share) of rituals, the low one deferred (0 until due), the normal one gone
        assertEquals(6.0, ritualDensity(after, m.id("a0")), 1e-9);
        assertEquals(6.0, ritualDensity(after, m.id("a1")), 1e-9);
        assertEquals(1.0, ritualDensity(after, m.id("a2")), 1e-9);
        assertEquals(plan.getDouble("pressure_reduction"),
                (before.getDouble("groups[0].max_utilization") - after.getDouble("groups[0].max_utilization"))
                        / before.getDouble("groups[0].max_utilization"), 1e-9);

        // the next plan starts from exactly that map (the deferred ritual still counting 0)
        JsonPath next = given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"), "dry_run", true))
                .when().post("/system/load/rebalance").then().statusCode(200).extract().jsonPath();
        assertFiguresEqual(next, "before", after);
    }

    @Test
    void aGroupOverloadedOnlyByRitualsGetsAPositivePressureReductionFromItsSpread() {
        // no codex at all: a0 runs 6 (low) + 4 (normal) + 3 (critical) on capacity 10, 1.3
        Maps m = new Maps().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0)
                .ritual("low", "a0", 6, "low").ritual("normal", "a0", 4, "normal").ritual("crit", "a0", 3, "critical")
                .post();
        JsonPath plan = given().contentType(ContentType.JSON).body(Map.of("group", m.id("g")))
                .when().post("/system/load/rebalance")
                .then().statusCode(200).body("redistribution", hasSize(0))
                .body("ritual_spread", hasSize(1)).body("ritual_spread[0].action", equalTo("defer"))
                .body("before.max_utilization", closeTo(1.3, 1e-9))
                .body("after.max_utilization", closeTo(0.7, 1e-9))
                .body("pressure_reduction", closeTo((1.3 - 0.7) / 1.3, 1e-9))
                .extract().jsonPath();
        assertTrue(plan.getDouble("pressure_reduction") > 0);
        JsonPath live = liveGroup(m);
        assertFiguresEqual(plan, "after", live);
        assertEquals(7.0, ritualDensity(live, m.id("a0")), 1e-9);
        assertEquals(List.of(m.id("a0"), m.id("a1")), live.getList("assistants.assistant_id", String.class));
    }
}
