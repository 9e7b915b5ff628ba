package io.mythos.loadbalancer.rest;

import static io.mythos.loadbalancer.rest.Problems.badRequest;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Limits and isolation": every number a client sends is bounded so that every figure derived
 * from it stays finite. Issue 12's first report: pressures near the top of the double range on a tiny
 * capacity were stored, after which GET /system/load and GET /system/load/plans answered 500 to everyone.
 */
@QuarkusTest
class ExtremeValuesTest {

    static {
        Maps.numbersAsDoubles();
    }

    @Test
    void hugeFinitePressuresOnATinyCapacityAre400AndEveryReadStaysHealthy() {
        Maps m = new Maps().assistant("a", "g", 1e-300, 0.9).assistant("b", "g", 1e-300, 0.9)
                .codex("c1", "a", 1e308).codex("c2", "a", 1.7e308).codex("c3", "b", 1.5e308)
                .ritual("r1", "a", 1e308, "low");
        given().contentType(ContentType.JSON).body(m.body()).when().post("/system/load/pressure")
                .then().spec(badRequest())
                .body("violations.field", hasItem("assistants[0].capacity"))
                .body("violations.field", hasItem("codices[0].pressure"))
                .body("violations.field", hasItem("rituals[0].density"));
        // nothing of the request was stored: its group has no assistant
        given().queryParam("group", m.id("g")).when().get("/system/load").then().spec(Problems.notFound());
        // a rebalance of the whole map (with everyone else's data) still plans, and the plans list reads
        given().contentType(ContentType.JSON).body(Map.of("dry_run", true)).when().post("/system/load/rebalance")
                .then().statusCode(200);
        given().when().get("/system/load").then().statusCode(200);
        given().when().get("/system/load/plans").then().statusCode(200);
    }

    @Test
    void eachBoundIsItsOwnViolation() {
        Maps m = new Maps().assistant("a", "g", 1e9 * 1.0000001, 0.5).assistant("b", "g", 9.99e-7, 0.5)
                .codex("c1", "a", 1.0000001e9).ritual("r1", "a", 2e9, "normal");
        given().contentType(ContentType.JSON).body(m.body()).when().post("/system/load/pressure")
                .then().spec(badRequest())
                .body("violations.field", containsInAnyOrder("assistants[0].capacity", "assistants[1].capacity",
                        "codices[0].pressure", "rituals[0].density"));
    }

    /** The bounds themselves are valid: the largest load on the smallest capacity, whole-map sums, plans, all finite. */
    @Test
    void theBoundsThemselvesAreAcceptedAndEveryFigureIsFinite() {
        Maps m = new Maps().assistant("a", "g", 1e-6, 1.0).assistant("b", "g", 1e9, 0.0).assistant("c", "g", 1e-6, 0.0);
        for (int i = 0; i < 50; i++) {
            m.codex("c" + i, "a", 1e9);
        }
        m.codex("z", "c", 0).ritual("r1", "a", 1e9, "low").ritual("r2", "a", 1e9, "normal").ritual("r3", "a", 1e9, "critical");
        m.post();
        JsonPath map = given().when().get("/system/load").then().statusCode(200).extract().jsonPath();
        assertFinite(map.getList("assistants.utilization"));
        assertFinite(map.getList("assistants.load"));
        assertFinite(map.getList("groups.imbalance"));
        assertFinite(List.of(map.get("metrics.total_pressure"), map.get("metrics.max_utilization"),
                map.get("metrics.imbalance"), map.get("metrics.lower_bound"), map.get("metrics.mean_utilization")));
        for (boolean dryRun : List.of(true, false)) {
            JsonPath plan = given().contentType(ContentType.JSON).body(Map.of("group", m.id("g"), "dry_run", dryRun))
                    .when().post("/system/load/rebalance").then().statusCode(200).extract().jsonPath();
            assertFinite(List.of(plan.get("before.max_utilization"), plan.get("after.max_utilization"),
                    plan.get("after.imbalance"), plan.get("pressure_reduction"), plan.get("moved_pressure")));
        }
        given().when().get("/system/load").then().statusCode(200);
        given().queryParam("limit", 500).when().get("/system/load/plans").then().statusCode(200);
    }

    static void assertFinite(List<?> values) {
        for (Object v : values) {
            assertTrue(v == null || (v instanceof Number n && Double.isFinite(n.doubleValue())), "not finite: " + v + " in " + values);
        }
    }
}
