package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds load maps with fresh random ids, so that tests never meet each other's rows. */
final class Maps {

    final String prefix = UUID.randomUUID().toString().substring(0, 8);
    final List<Map<String, Object>> assistants = new ArrayList<>();
    final List<Map<String, Object>> codices = new ArrayList<>();
    final List<Map<String, Object>> rituals = new ArrayList<>();

    /** JSON numbers as doubles, so that closeTo matchers compare like with like. */
    static void numbersAsDoubles() {
        RestAssured.config = RestAssuredConfig.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    String id(String name) {
        return prefix + "-" + name;
    }

    Maps assistant(String name, String group, double capacity, double entropy) {
        assistants.add(Map.of("assistant_id", id(name), "group", id(group), "capacity", capacity, "memory_entropy", entropy));
        return this;
    }

    Maps codex(String name, String owner, double pressure) {
        codices.add(Map.of("codex_id", id(name), "assistant_id", id(owner), "pressure", pressure));
        return this;
    }

    Maps readMostlyCodex(String name, String owner, double pressure) {
        codices.add(Map.of("codex_id", id(name), "assistant_id", id(owner), "pressure", pressure, "read_mostly", true));
        return this;
    }

    Maps ritual(String name, String owner, double density, String priority) {
        rituals.add(Map.of("ritual_id", id(name), "assistant_id", id(owner), "density", density, "priority", priority));
        return this;
    }

    Map<String, Object> body() {
        return Map.of("assistants", assistants, "codices", codices, "rituals", rituals);
    }

    Maps post() {
        given().contentType(ContentType.JSON).body(body()).when().post("/system/load/pressure").then().statusCode(200);
        return this;
    }

    /** A skewed group: 4 assistants of capacity 10, all 12 codices of pressure 2 on the first. */
    static Maps skewed() {
        Maps m = new Maps();
        for (int i = 0; i < 4; i++) {
            m.assistant("a" + i, "g", 10, 0);
        }
        for (int i = 0; i < 12; i++) {
            m.codex("c" + i, "a0", 2);
        }
        return m;
    }
}
