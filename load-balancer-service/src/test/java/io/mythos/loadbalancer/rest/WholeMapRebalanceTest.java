package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A rebalance without a scope plans the whole map. The whole map is every test's data, so this test
 * runs on a service started for it alone: Flyway cleans the schema at every start in tests, and the map
 * holds exactly the two groups made here.
 */
@QuarkusTest
@TestProfile(WholeMapRebalanceTest.OwnStart.class)
class WholeMapRebalanceTest {

    /** No other setting: a profile of its own only gives this test its own start, on an empty schema. */
    public static class OwnStart implements QuarkusTestProfile {
    }

    static {
        Maps.numbersAsDoubles();
    }

    @Test
    void anEmptyBodyOrAnEmptyObjectPlansTheWholeMap() {
        Maps g = Maps.skewed().post();
        Maps h = Maps.skewed().post();
        // both groups: 48 pressure on 80 capacity (mean 0.6), both a0 at 2.4; each a0 sheds 9 codices
        List<String> shedding = given().contentType(ContentType.JSON).body("{\"dry_run\": true}").when().post("/system/load/rebalance")
                .then().statusCode(200).body("scope", equalTo(Map.of())).body("dry_run", is(true)).body("applied", is(false))
                .body("before.max_utilization", closeTo(2.4, 1e-9)).body("before.mean_utilization", closeTo(0.6, 1e-9))
                .body("after.max_utilization", closeTo(0.6, 1e-9)).body("redistribution", hasSize(18))
                .extract().jsonPath().getList("redistribution.from_assistant", String.class);
        assertEquals(Set.of(g.id("a0"), h.id("a0")), Set.copyOf(shedding));

        JsonPath plan = given().contentType(ContentType.JSON).when().post("/system/load/rebalance")
                .then().statusCode(200).contentType(ContentType.JSON).body("scope", equalTo(Map.of()))
                .body("dry_run", is(false)).body("applied", is(true)).body("redistribution", hasSize(18))
                .extract().jsonPath();
        // the whole map's live figures are the plan's after
        given().when().get("/system/load").then().statusCode(200)
                .body("metrics.max_utilization", closeTo(plan.getDouble("after.max_utilization"), 1e-9))
                .body("metrics.mean_utilization", closeTo(plan.getDouble("after.mean_utilization"), 1e-9))
                .body("metrics.imbalance", closeTo(plan.getDouble("after.imbalance"), 1e-9))
                .body("metrics.max_utilization", closeTo(0.6, 1e-9)).body("groups", hasSize(2));

        // applied: planning the whole map again moves nothing
        given().contentType(ContentType.JSON).body("{}").when().post("/system/load/rebalance")
                .then().statusCode(200).body("scope", equalTo(Map.of())).body("applied", is(true))
                .body("redistribution", hasSize(0)).body("before.max_utilization", closeTo(0.6, 1e-9));
    }
}
