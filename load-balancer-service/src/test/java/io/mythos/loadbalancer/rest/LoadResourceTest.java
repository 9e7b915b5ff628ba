package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import static io.mythos.loadbalancer.rest.Problems.assertUtc;
import static io.mythos.loadbalancer.rest.Problems.badRequest;
import static io.mythos.loadbalancer.rest.Problems.conflict;
import static io.mythos.loadbalancer.rest.Problems.notFound;
import static io.mythos.loadbalancer.rest.Problems.problem;
import static io.mythos.loadbalancer.rest.Problems.unknownReference;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /system/load/pressure, GET /system/load and the three DELETE routes. */
@QuarkusTest
class LoadResourceTest {

    static {
        Maps.numbersAsDoubles();
    }

    @Test
    void upsertThenTheMapShowsDesignFigures() {
        Maps m = new Maps().assistant("a", "g", 10, 0.5).assistant("b", "g", 5, 0)
                .codex("c1", "a", 3).codex("c2", "a", 1.5).codex("c3", "b", 4)
                .ritual("r1", "a", 0.5, "low");
        given().contentType(ContentType.JSON).body(m.body()).when().post("/system/load/pressure")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("assistants", equalTo(2)).body("codices", equalTo(3)).body("rituals", equalTo(1))
                // the metrics are the whole map's, other tests' groups included: at least this group's 0.8
                .body("metrics.max_utilization", greaterThanOrEqualTo(0.8 - 1e-9))
                .body("metrics.lower_bound", notNullValue());

        // a: effective capacity 10 × (1 − 0.5 × 0.5) = 7.5, load 3 + 1.5 + 0.5 = 5, utilization 2/3
        // b: 5, load 4, utilization 0.8; group mean 9 / 12.5 = 0.72; lower bound max(0.72, 4/7.5)
        given().queryParam("group", m.id("g")).when().get("/system/load")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("assistants", hasSize(2))
                .body("assistants[0].assistant_id", equalTo(m.id("a")))
                .body("assistants[0].effective_capacity", closeTo(7.5, 1e-6))
                .body("assistants[0].load", closeTo(5, 1e-6))
                .body("assistants[0].utilization", closeTo(0.6667, 1e-3))
                .body("assistants[0].ritual_density", closeTo(0.5, 1e-6))
                .body("assistants[0].codex_count", equalTo(2))
                .body("groups", hasSize(1))
                .body("groups[0].group", equalTo(m.id("g")))
                .body("groups[0].assistants", equalTo(2))
                .body("groups[0].mean_utilization", closeTo(0.72, 1e-6))
                .body("groups[0].max_utilization", closeTo(0.8, 1e-6))
                .body("groups[0].imbalance", closeTo(0.8 / 0.72, 1e-5))
                .body("hottest_codices[0].codex_id", equalTo(m.id("c3")))
                .body("hottest_codices", hasSize(3))
                .body("metrics.total_pressure", closeTo(8.5, 1e-6))
                .body("metrics.lower_bound", closeTo(0.72, 1e-6))
                .body("generated_at", containsString("T"));
        assertUtc(given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200)
                .extract().path("generated_at"));

        // a partial upsert replaces one codex (moved and lighter) and leaves the rest
        given().contentType(ContentType.JSON)
                .body(Map.of("codices", List.of(Map.of("codex_id", m.id("c3"), "assistant_id", m.id("a"), "pressure", 1.0))))
                .when().post("/system/load/pressure").then().statusCode(200).body("codices", equalTo(1));
        given().queryParam("group", m.id("g")).when().get("/system/load")
                .then().statusCode(200)
                .body("assistants[0].codex_count", equalTo(3))
                .body("assistants[1].codex_count", equalTo(0))
                .body("metrics.total_pressure", closeTo(5.5, 1e-6));
    }

    @Test
    void theWholeMapListsEveryGroup() {
        Maps m = new Maps().assistant("a", "g1", 1, 0).assistant("b", "g2", 1, 0).post();
        given().when().get("/system/load").then().statusCode(200).contentType(ContentType.JSON)
                .body("groups.group", hasItem(m.id("g1"))).body("groups.group", hasItem(m.id("g2")))
                .body("assistants.assistant_id", hasItem(m.id("a")));
    }

    @Test
    void theLowerBoundIsTheHeaviestCodexOnTheLargestEffectiveCapacityWhenThatExceedsTheMean() {
        // a: capacity 10, entropy 0.5 → effective 7.5; b: capacity 8 → effective 8, the largest.
        // One codex of 6 on a: mean 6 / 15.5 ≈ 0.387, but no assignment of whole codices gets below 6 / 8 = 0.75.
        Maps m = new Maps().assistant("a", "g", 10, 0.5).assistant("b", "g", 8, 0).codex("heavy", "a", 6).post();
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200)
                .body("metrics.mean_utilization", closeTo(6 / 15.5, 1e-9))
                .body("metrics.max_utilization", closeTo(0.8, 1e-9))
                .body("metrics.lower_bound", closeTo(0.75, 1e-9));
    }

    @Test
    void hottestCodicesAreTheTwentyHeaviest() {
        Maps m = new Maps().assistant("a", "g", 100, 0).assistant("b", "g", 100, 0);
        List<Double> pressures = new ArrayList<>();
        int heaviest = 0;
        for (int i = 0; i < 25; i++) {
            double p = 1 + (i * 7 % 25); // the pressures 1..25, shuffled
            pressures.add(p);
            heaviest = p == 25 ? i : heaviest;
            m.codex("c" + i, i % 2 == 0 ? "a" : "b", p);
        }
        m.post();
        pressures.sort(Comparator.reverseOrder());
        JsonPath map = given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200)
                .body("hottest_codices", hasSize(20)).extract().jsonPath();
        assertEquals(pressures.subList(0, 20), map.getList("hottest_codices.pressure", Double.class));
        assertEquals(m.id("c" + heaviest), map.getString("hottest_codices[0].codex_id"));
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"assistants\": [], \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(big).when().post("/system/load/pressure")
                .then().spec(problem(413, "Payload Too Large")).body("detail", containsString("limit"));
    }

    @Test
    void unknownGroupIs404() {
        given().queryParam("group", "no-such-group-" + System.nanoTime()).when().get("/system/load")
                .then().spec(notFound()).body("detail", containsString("no-such-group"));
    }

    @Test
    void aCodexOrRitualNamingAnUnknownAssistantIs422AndStoresNothing() {
        Maps m = new Maps().assistant("a", "g", 10, 0).codex("c", "ghost", 1);
        given().contentType(ContentType.JSON).body(m.body()).when().post("/system/load/pressure")
                .then().spec(unknownReference()).body("detail", containsString(m.id("ghost")));
        // all or nothing: the assistant of the same request was not stored either
        given().queryParam("group", m.id("g")).when().get("/system/load").then().spec(notFound());

        Maps r = new Maps().ritual("r", "ghost", 1, "normal");
        given().contentType(ContentType.JSON).body(r.body()).when().post("/system/load/pressure")
                .then().spec(unknownReference()).body("detail", containsString(r.id("ghost")));
    }

    @Test
    void aCodexMayNameAnAssistantOfTheSameRequest() {
        Maps m = new Maps().assistant("a", "g", 10, 0).codex("c", "a", 1).ritual("r", "a", 2, "critical");
        given().contentType(ContentType.JSON).body(m.body()).when().post("/system/load/pressure").then().statusCode(200)
                .body("assistants", equalTo(1)).body("codices", equalTo(1)).body("rituals", equalTo(1));
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(200)
                .body("assistants[0].assistant_id", equalTo(m.id("a")))
                .body("assistants[0].codex_count", equalTo(1))
                .body("assistants[0].ritual_density", closeTo(2, 1e-9))
                .body("assistants[0].load", closeTo(3, 1e-9))
                .body("hottest_codices[0].codex_id", equalTo(m.id("c")))
                .body("hottest_codices[0].assistant_id", equalTo(m.id("a")));
    }

    @Test
    void invalidBodiesAre400WithViolations() {
        assertBad(Map.of("assistants", List.of(Map.of("assistant_id", "x", "group", "g", "capacity", 0, "memory_entropy", 0))),
                "assistants[0].capacity");
        assertBad(Map.of("assistants", List.of(Map.of("assistant_id", "x", "group", "g", "capacity", 1, "memory_entropy", 1.5))),
                "assistants[0].memory_entropy");
        assertBad(Map.of("assistants", List.of(Map.of("group", "g", "capacity", 1, "memory_entropy", 0))),
                "assistants[0].assistant_id");
        assertBad(Map.of("codices", List.of(Map.of("codex_id", "c", "assistant_id", "a", "pressure", -1))),
                "codices[0].pressure");
        assertBad(Map.of("rituals", List.of(Map.of("ritual_id", "r", "assistant_id", "a", "density", 1, "priority", "urgent"))),
                "rituals[0].priority");
        assertBad(Map.of("rituals", List.of(Map.of("ritual_id", "r", "assistant_id", "a", "density", -2, "priority", "low"))),
                "rituals[0].density");
        assertBad(Map.of("codices", List.of(Map.of("codex_id", "c", "assistant_id", "a", "pressure", "high"))),
                "codices[0].pressure");
        assertBad(Map.of("codices", List.of(Map.of("codex_id", "c".repeat(151), "assistant_id", "a", "pressure", 1))),
                "codices[0].codex_id");
        assertBad(Map.of("codices", List.of(Map.of("codex_id", "c", "assistant_id", "a", "pressure", 1),
                Map.of("codex_id", "c", "assistant_id", "a", "pressure", 2))), "codices[1].codex_id");
        given().contentType(ContentType.JSON).body("{\"codices\": [{\"codex_id\": \"c\", \"assistant_id\": \"a\", \"pressure\": 1e999}]}")
                .when().post("/system/load/pressure").then().spec(badRequest())
                .body("violations[0].field", equalTo("codices[0].pressure"));
        given().contentType(ContentType.JSON).body("{\"codices\": [").when().post("/system/load/pressure")
                .then().spec(badRequest());
        given().contentType(ContentType.JSON).when().post("/system/load/pressure")
                .then().spec(badRequest());
    }

    private static void assertBad(Object body, String field) {
        given().contentType(ContentType.JSON).body(body).when().post("/system/load/pressure")
                .then().spec(badRequest()).body("violations.field", hasItem(field));
    }

    @Test
    void deletingAnAssistantThatStillOwnsSomethingIs409() {
        Maps m = new Maps().assistant("a", "g", 10, 0).codex("c", "a", 1).ritual("r", "a", 1, "low").post();
        given().when().delete("/system/load/assistants/" + m.id("a"))
                .then().spec(conflict()).body("detail", containsString("1 codices and 1 rituals"));
        given().when().delete("/system/load/codices/" + m.id("c")).then().statusCode(204);
        given().when().delete("/system/load/assistants/" + m.id("a"))
                .then().spec(conflict()).body("detail", containsString("0 codices and 1 rituals"));
        given().when().delete("/system/load/rituals/" + m.id("r")).then().statusCode(204);
        given().when().delete("/system/load/assistants/" + m.id("a")).then().statusCode(204);
        given().queryParam("group", m.id("g")).when().get("/system/load").then().spec(notFound());
    }

    @Test
    void deletingUnknownIdsIs404() {
        for (String route : List.of("assistants", "codices", "rituals")) {
            given().when().delete("/system/load/" + route + "/nothing-" + System.nanoTime())
                    .then().spec(notFound()).body("detail", containsString("nothing-"));
        }
    }
}
