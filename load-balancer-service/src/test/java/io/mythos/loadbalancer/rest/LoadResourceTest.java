package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /system/load/pressure, GET /system/load and the three DELETE routes. */
@QuarkusTest
class LoadResourceTest {

    private static final String PROBLEM = "application/problem+json";

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
    void unknownGroupIs404() {
        given().queryParam("group", "no-such-group-" + System.nanoTime()).when().get("/system/load")
                .then().statusCode(404).contentType(PROBLEM).body("status", equalTo(404))
                .body("detail", containsString("no-such-group"));
    }

    @Test
    void aCodexOrRitualNamingAnUnknownAssistantIs422AndStoresNothing() {
        Maps m = new Maps().assistant("a", "g", 10, 0).codex("c", "ghost", 1);
        given().contentType(ContentType.JSON).body(m.body()).when().post("/system/load/pressure")
                .then().statusCode(422).contentType(PROBLEM).body("status", equalTo(422))
                .body("detail", containsString(m.id("ghost")));
        // all or nothing: the assistant of the same request was not stored either
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(404);

        Maps r = new Maps().ritual("r", "ghost", 1, "normal");
        given().contentType(ContentType.JSON).body(r.body()).when().post("/system/load/pressure")
                .then().statusCode(422).contentType(PROBLEM).body("detail", containsString(r.id("ghost")));
    }

    @Test
    void aCodexMayNameAnAssistantOfTheSameRequest() {
        Maps m = new Maps().assistant("a", "g", 10, 0).codex("c", "a", 1).ritual("r", "a", 1, "critical");
        given().contentType(ContentType.JSON).body(m.body()).when().post("/system/load/pressure").then().statusCode(200);
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
                .when().post("/system/load/pressure").then().statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("codices[0].pressure"));
        given().contentType(ContentType.JSON).body("{\"codices\": [").when().post("/system/load/pressure")
                .then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
        given().contentType(ContentType.JSON).when().post("/system/load/pressure")
                .then().statusCode(400).contentType(PROBLEM);
    }

    private static void assertBad(Object body, String field) {
        given().contentType(ContentType.JSON).body(body).when().post("/system/load/pressure")
                .then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400))
                .body("violations.field", hasItem(field));
    }

    @Test
    void deletingAnAssistantThatStillOwnsSomethingIs409() {
        Maps m = new Maps().assistant("a", "g", 10, 0).codex("c", "a", 1).ritual("r", "a", 1, "low").post();
        given().when().delete("/system/load/assistants/" + m.id("a"))
                .then().statusCode(409).contentType(PROBLEM).body("status", equalTo(409))
                .body("detail", containsString("1 codices and 1 rituals"));
        given().when().delete("/system/load/codices/" + m.id("c")).then().statusCode(204);
        given().when().delete("/system/load/assistants/" + m.id("a")).then().statusCode(409);
        given().when().delete("/system/load/rituals/" + m.id("r")).then().statusCode(204);
        given().when().delete("/system/load/assistants/" + m.id("a")).then().statusCode(204);
        given().queryParam("group", m.id("g")).when().get("/system/load").then().statusCode(404);
    }

    @Test
    void deletingUnknownIdsIs404() {
        for (String route : List.of("assistants", "codices", "rituals")) {
            given().when().delete("/system/load/" + route + "/nothing-" + System.nanoTime())
                    .then().statusCode(404).contentType(PROBLEM).body("status", equalTo(404))
                    .body("detail", containsString("nothing-"));
        }
    }
}
