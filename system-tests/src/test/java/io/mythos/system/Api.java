package io.mythos.system;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The calls a client of the three services makes, over HTTP only. */
final class Api {

    private final MythosSystem sys;

    Api(MythosSystem sys) {
        this.sys = sys;
    }

    static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void registerAssistant(String id, String group, String zone) {
        given().baseUri(sys.healing().url()).contentType(ContentType.JSON)
                .body(Map.of("name", "assistant " + id, "group", group, "zone", zone))
                .put("/assistants/" + id).then().statusCode(201);
    }

    void pressure(Map<String, Object> map) {
        given().baseUri(sys.loadBalancer().url()).contentType(ContentType.JSON).body(map)
                .post("/system/load/pressure").then().statusCode(200);
    }

    void beliefs(String zone, String assistant, Map<String, Double> beliefs) {
        given().baseUri(sys.daemon().url()).contentType(ContentType.JSON)
                .body(Map.of("assistant_id", assistant, "beliefs", beliefs))
                .post("/system/daemon/zones/" + zone + "/beliefs").then().statusCode(200);
    }

    Response signal(String node, String assistant, String kind, Double value) {
        Map<String, Object> body = value == null
                ? Map.of("node_id", node, "assistant_id", assistant, "kind", kind)
                : Map.of("node_id", node, "assistant_id", assistant, "kind", kind, "value", value);
        return given().baseUri(sys.healing().url()).contentType(ContentType.JSON).body(body)
                .post("/system/health/signals");
    }

    Response signals(List<Map<String, Object>> batch) {
        return given().baseUri(sys.healing().url()).contentType(ContentType.JSON).body(batch)
                .post("/system/health/signals");
    }

    /** How many events are active (the total of the active events' page). */
    long activeEvents() {
        return given().baseUri(sys.healing().url()).queryParam("limit", 1)
                .get("/system/health/recovery").then().statusCode(200).extract().jsonPath().getLong("total");
    }

    /** All events of a node (any status), newest first. */
    List<Map<String, Object>> events(String node) {
        return given().baseUri(sys.healing().url()).queryParam("node_id", node).queryParam("status", "all")
                .get("/system/health/recovery").then().statusCode(200).extract().jsonPath().getList("events");
    }

    /** All events of an assistant (any status, up to 500) with their actions, newest first. */
    JsonPath eventsOf(String assistant) {
        return given().baseUri(sys.healing().url()).queryParam("assistant_id", assistant).queryParam("status", "all")
                .queryParam("limit", 500).get("/system/health/recovery").then().statusCode(200).extract().jsonPath();
    }

    JsonPath event(String id) {
        return given().baseUri(sys.healing().url()).get("/system/health/recovery/" + id)
                .then().statusCode(200).extract().jsonPath();
    }

    JsonPath loadMap(String group) {
        return given().baseUri(sys.loadBalancer().url()).queryParam("group", group).get("/system/load")
                .then().statusCode(200).extract().jsonPath();
    }

    JsonPath zone(String zone) {
        return given().baseUri(sys.daemon().url()).get("/system/daemon/zones/" + zone)
                .then().statusCode(200).extract().jsonPath();
    }

    JsonPath zoneEvents(String zone) {
        return given().baseUri(sys.daemon().url()).get("/system/daemon/zones/" + zone + "/events")
                .then().statusCode(200).extract().jsonPath();
    }

    JsonPath plan(String planId) {
        return given().baseUri(sys.loadBalancer().url()).get("/system/load/plans/" + planId)
                .then().statusCode(200).extract().jsonPath();
    }

    /** A rebalance under an Idempotency-Key; a key used before answers the plan stored for it. */
    JsonPath rebalance(Map<String, Object> body, String idempotencyKey) {
        return given().baseUri(sys.loadBalancer().url()).contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey).body(body).post("/system/load/rebalance")
                .then().statusCode(200).extract().jsonPath();
    }

    /** A zone recovery under an Idempotency-Key; a key used before answers the record stored for it. */
    JsonPath recover(String zone, String idempotencyKey) {
        return given().baseUri(sys.daemon().url()).contentType(ContentType.JSON)
                .header("Idempotency-Key", idempotencyKey).body("{}").post("/system/daemon/zones/" + zone + "/recover")
                .then().statusCode(200).extract().jsonPath();
    }

    /** One daemon cycle now (the suites keep the scheduled one out of the way). */
    JsonPath cycle() {
        return given().baseUri(sys.daemon().url()).post("/system/daemon/cycle")
                .then().statusCode(200).extract().jsonPath();
    }

    JsonPath plans(int limit) {
        return given().baseUri(sys.loadBalancer().url()).queryParam("limit", limit).get("/system/load/plans")
                .then().statusCode(200).extract().jsonPath();
    }

    /** A group of three assistants where the first carries everything: utilization well above 1. */
    void overloadedGroup(String group, String hot, String cool1, String cool2) {
        pressure(Map.of(
                "assistants", List.of(
                        Map.of("assistant_id", hot, "group", group, "capacity", 10.0, "memory_entropy", 0.2),
                        Map.of("assistant_id", cool1, "group", group, "capacity", 10.0, "memory_entropy", 0.0),
                        Map.of("assistant_id", cool2, "group", group, "capacity", 10.0, "memory_entropy", 0.0)),
                "codices", List.of(
                        Map.of("codex_id", hot + "-c1", "assistant_id", hot, "pressure", 3.0),
                        Map.of("codex_id", hot + "-c2", "assistant_id", hot, "pressure", 3.0),
                        Map.of("codex_id", hot + "-c3", "assistant_id", hot, "pressure", 2.0),
                        Map.of("codex_id", hot + "-c4", "assistant_id", hot, "pressure", 2.0),
                        Map.of("codex_id", hot + "-c5", "assistant_id", hot, "pressure", 2.0),
                        Map.of("codex_id", cool1 + "-c1", "assistant_id", cool1, "pressure", 1.0))));
    }

    /** A group and zone of three assistants, registered everywhere; {@code hot} overloaded and diverged. */
    record Fleet(String group, String zone, String hot, String cool1, String cool2) {
    }

    Fleet fleet() {
        Fleet f = new Fleet(id("g"), id("z"), id("hot"), id("cool"), id("cool"));
        for (String a : List.of(f.hot, f.cool1, f.cool2)) {
            registerAssistant(a, f.group, f.zone);
        }
        overloadedGroup(f.group, f.hot, f.cool1, f.cool2);
        divergedZone(f.zone, f.cool1, f.cool2, f.hot);
        return f;
    }

    /** Three replicas of a zone, the third far from the other two. */
    void divergedZone(String zone, String a, String b, String c) {
        beliefs(zone, a, Map.of("sky_is_blue", 0.9, "water_is_dry", 0.1, "fire_is_hot", 0.8));
        beliefs(zone, b, Map.of("sky_is_blue", 0.9, "water_is_dry", 0.1, "fire_is_hot", 0.8));
        beliefs(zone, c, Map.of("sky_is_blue", 0.3, "water_is_dry", 0.6, "fire_is_hot", 0.8));
    }
}
