package io.mythos.healing.rest;

import static io.mythos.healing.support.Fixtures.assistant;
import static io.mythos.healing.support.Fixtures.post;
import static io.mythos.healing.support.Fixtures.signal;
import static io.mythos.healing.support.Fixtures.problem;
import static io.mythos.healing.support.Fixtures.unique;
import static io.mythos.healing.support.Fixtures.utc;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RuleResourceTest {


    @Test
    void listsTheFourRulesWithTheDesignDefaults() {
        given().get("/system/health/rules").then().statusCode(200).contentType(ContentType.JSON)
                .body("rules", hasSize(4))
                .body("rules.find { it.kind == 'entropy_spike' }.threshold", equalTo(0.8f))
                .body("rules.find { it.kind == 'entropy_spike' }.min_occurrences", equalTo(1))
                .body("rules.find { it.kind == 'entropy_spike' }.cooldown_seconds", equalTo(30))
                .body("rules.find { it.kind == 'ritual_failure' }.threshold", nullValue())
                .body("rules.find { it.kind == 'ritual_failure' }.min_occurrences", equalTo(3))
                .body("rules.find { it.kind == 'ritual_failure' }.window_seconds", equalTo(60))
                .body("rules.find { it.kind == 'codex_conflict' }.min_occurrences", equalTo(1))
                .body("rules.find { it.kind == 'symbolic_error' }.min_occurrences", equalTo(1))
                .body("rules.source", hasItem("config"))
                .body("rules.updated_at", everyItem(utc()));
    }

    @Test
    void putChangesTheRuleAndItTakesEffect() {
        String a = assistant();
        String node = unique("node");
        try {
            given().contentType(ContentType.JSON)
                    .body("{\"threshold\": 0.5, \"window_seconds\": 120, \"min_occurrences\": 2, \"cooldown_seconds\": 10}")
                    .put("/system/health/rules/codex_conflict").then().statusCode(200).contentType(ContentType.JSON)
                    .body("kind", equalTo("codex_conflict"))
                    .body("threshold", equalTo(0.5f))
                    .body("window_seconds", equalTo(120))
                    .body("min_occurrences", equalTo(2))
                    .body("cooldown_seconds", equalTo(10))
                    .body("source", equalTo("api"));
            given().get("/system/health/rules").then()
                    .body("rules.find { it.kind == 'codex_conflict' }.min_occurrences", equalTo(2));

            post(signal(node, a, "codex_conflict", 0.6, null)).statusCode(202).body("fired", hasSize(0));
            post(signal(node, a, "codex_conflict", 0.4, null)).statusCode(202).body("fired", hasSize(0)); // below threshold
            post(signal(node, a, "codex_conflict", null, null)).statusCode(202).body("fired", hasSize(0)); // no value
            post(signal(node, a, "codex_conflict", 0.9, null)).statusCode(202).body("fired", hasSize(1));
        } finally {
            given().contentType(ContentType.JSON)
                    .body("{\"window_seconds\": 60, \"min_occurrences\": 1, \"cooldown_seconds\": 30}")
                    .put("/system/health/rules/codex_conflict").then().statusCode(200).body("threshold", nullValue());
        }
    }

    @Test
    void invalidRuleIs400AndChangesNothing() {
        given().contentType(ContentType.JSON)
                .body("{\"threshold\": 1.5, \"window_seconds\": -1, \"min_occurrences\": 0}")
                .put("/system/health/rules/ritual_failure").then().spec(problem(400, "Bad Request"))
                .body("violations.field", hasItem("threshold"))
                .body("violations.field", hasItem("window_seconds"))
                .body("violations.field", hasItem("min_occurrences"))
                .body("violations.field", hasItem("cooldown_seconds"));
        given().contentType(ContentType.JSON).body("{\"window_seconds\": \"sixty\", \"min_occurrences\": 1, \"cooldown_seconds\": 1}")
                .put("/system/health/rules/ritual_failure").then().spec(problem(400, "Bad Request"))
                .body("violations[0].field", equalTo("window_seconds"));
        given().contentType(ContentType.JSON).put("/system/health/rules/ritual_failure").then().spec(problem(400, "Bad Request"));
        given().get("/system/health/rules").then()
                .body("rules.find { it.kind == 'ritual_failure' }.min_occurrences", equalTo(3));
    }

    @Test
    void unknownKindIs404() {
        given().contentType(ContentType.JSON)
                .body("{\"window_seconds\": 60, \"min_occurrences\": 1, \"cooldown_seconds\": 30}")
                .put("/system/health/rules/meltdown").then().spec(problem(404, "Not Found"))
                .body("detail", containsString("entropy_spike"));
    }
}
