package io.mythos.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A generated sweep of invalid requests across every route of the three services: none may get a
 * 5xx, every 4xx must be problem+json, and no stored row may change (every request is invalid by
 * construction: one field at a time is broken, the others vary between valid and hostile values).
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DB = "mythos_system_hostile";
    private static final String ASSISTANT = "hostile-a1";

    /** Valid strings that are nasty to a careless implementation; as filler they keep a body valid. */
    private static final List<String> HOSTILE_STRINGS = List.of(
            "'; DROP TABLE assistant; --", "\" OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
            "../../etc/passwd", "%00", "Robert'); DELETE FROM codex;--", "\uD83D\uDD25 ünïcødé", "\\u0000");

    private static MythosSystem sys;
    private static Postgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Postgres.shared();
        sys = MythosSystem.start(pg, DB, Map.of());
        Api api = new Api(sys);
        api.registerAssistant(ASSISTANT, "hostile-g", "hostile-z");
        api.pressure(Map.of("assistants", List.of(Map.of("assistant_id", ASSISTANT, "group", "hostile-g",
                "capacity", 10.0, "memory_entropy", 0.1))));
    }

    @AfterAll
    static void stop() {
        if (sys != null) {
            sys.close();
        }
    }

    private record Req(String service, String method, String path, String contentType, String body) {
    }

    @Test
    void noFiveHundredsProblemJsonEverywhereAndNothingChanges() throws Exception {
        Map<String, String> before = snapshot();
        List<Req> requests = generate();
        assertTrue(requests.size() >= 2000, "sweep size " + requests.size());
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (Req r : requests) {
            HttpResponse<String> resp = send(r);
            int s = resp.statusCode();
            byStatus.merge(s, 1, Integer::sum);
            String type = resp.headers().firstValue("content-type").orElse("");
            boolean write = !r.method.equals("GET");
            if (s >= 500) {
                failures.add(s + " " + r);
            } else if (s >= 400 && !type.startsWith("application/problem+json")) {
                failures.add(s + " not problem+json (" + type + ") " + r);
            } else if (s < 400 && write) {
                failures.add(s + " accepted an invalid write " + r);
            }
        }
        System.out.printf("hostile sweep: %d requests, statuses %s%n", requests.size(), byStatus);
        assertTrue(failures.isEmpty(), failures.size() + " failures, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        assertEquals(before, snapshot(), "stored data changed");
    }

    private static HttpResponse<String> send(Req r) throws Exception {
        String base = switch (r.service) {
            case "healing" -> sys.healing().url();
            case "lb" -> sys.loadBalancer().url();
            default -> sys.daemon().url();
        };
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r.path)).timeout(Duration.ofSeconds(20));
        if (r.contentType != null) {
            b.header("Content-Type", r.contentType);
        }
        HttpRequest.BodyPublisher body = r.body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(r.body);
        b.method(r.method, body);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    // ---- generation -------------------------------------------------------------------------------

    private static List<Req> generate() throws Exception {
        List<Req> out = new ArrayList<>();
        Map<String, Object> assistant = obj("name", "n", "group", "g", "zone", "z");
        bodies(out, "healing", "PUT", "/assistants/hostile-new", assistant, Map.of(
                "name", STRING_150_REQUIRED, "group", STRING_150_REQUIRED, "zone", STRING_150_REQUIRED));

        Map<String, Object> signal = obj("node_id", "n1", "assistant_id", ASSISTANT, "kind", "entropy_spike",
                "value", 0.5, "detail", "d");
        Map<String, List<Object>> signalBad = Map.of(
                "node_id", STRING_150_REQUIRED, "assistant_id", STRING_150_REQUIRED, "kind", ENUM_REQUIRED,
                "value", UNIT_INTERVAL_REQUIRED, "observed_at", TIMESTAMP, "detail", List.of(12, true, "x".repeat(5000)));
        bodies(out, "healing", "POST", "/system/health/signals", signal, signalBad);
        // The same mutations inside an array of otherwise valid signals: nothing of the batch is stored.
        for (var e : signalBad.entrySet()) {
            for (Object bad : e.getValue()) {
                Map<String, Object> broken = new LinkedHashMap<>(signal);
                broken.put(e.getKey(), bad);
                out.add(new Req("healing", "POST", "/system/health/signals", "application/json",
                        JSON.writeValueAsString(List.of(signal, signal, broken))));
            }
        }
        out.add(new Req("healing", "POST", "/system/health/signals", "application/json",
                JSON.writeValueAsString(java.util.Collections.nCopies(1001, signal))));
        out.add(new Req("healing", "POST", "/system/health/signals", "application/json", "[]"));

        Map<String, Object> rule = obj("threshold", 0.8, "window_seconds", 60, "min_occurrences", 1, "cooldown_seconds", 30);
        bodies(out, "healing", "PUT", "/system/health/rules/entropy_spike", rule, Map.of(
                "threshold", NUMBER, "window_seconds", COUNT, "min_occurrences", COUNT, "cooldown_seconds", COUNT));
        for (String kind : HOSTILE_PATHS) {
            out.add(new Req("healing", "PUT", "/system/health/rules/" + kind, "application/json",
                    JSON.writeValueAsString(rule)));
        }

        Map<String, Object> pressure = obj(
                "assistants", List.of(obj("assistant_id", ASSISTANT, "group", "hostile-g", "capacity", 10.0, "memory_entropy", 0.1)),
                "codices", List.of(obj("codex_id", "hostile-c", "assistant_id", ASSISTANT, "pressure", 1.0)),
                "rituals", List.of(obj("ritual_id", "hostile-r", "assistant_id", ASSISTANT, "density", 1.0, "priority", "low")));
        nested(out, "lb", "POST", "/system/load/pressure", pressure, "assistants", Map.of(
                "assistant_id", STRING_150_REQUIRED, "group", STRING_150_REQUIRED,
                "capacity", POSITIVE_REQUIRED, "memory_entropy", UNIT_INTERVAL_REQUIRED));
        nested(out, "lb", "POST", "/system/load/pressure", pressure, "codices", Map.of(
                "codex_id", STRING_150_REQUIRED, "assistant_id", List.of("nobody-here", 1, "", "x".repeat(151)),
                "pressure", NON_NEGATIVE_REQUIRED));
        nested(out, "lb", "POST", "/system/load/pressure", pressure, "rituals", Map.of(
                "ritual_id", STRING_150_REQUIRED, "assistant_id", List.of("nobody-here", 1, "", "x".repeat(151)),
                "density", NON_NEGATIVE_REQUIRED, "priority", ENUM_REQUIRED));
        for (String key : List.of("assistants", "codices", "rituals")) {
            for (Object bad : List.of("x", 1, obj("a", 1), List.of(1), List.of("x"))) {
                Map<String, Object> broken = new LinkedHashMap<>(pressure);
                broken.put(key, bad);
                out.add(new Req("lb", "POST", "/system/load/pressure", "application/json", JSON.writeValueAsString(broken)));
            }
        }

        Map<String, Object> rebalance = obj("group", "hostile-g", "dry_run", true, "max_moves", 5, "target_imbalance", 1.1);
        bodies(out, "lb", "POST", "/system/load/rebalance", rebalance, Map.of(
                "group", List.of("", 1, true, "x".repeat(151), "nobody-group"),
                "dry_run", List.of("yes", 1, obj()),
                "max_moves", List.of(-1, 1.5, "3", true, 1e12),
                "target_imbalance", List.of(0.5, "1.1", "NaN", true, -1)));
        bodies(out, "lb", "POST", "/system/load/tasks/claim", obj("worker", "w"), Map.of("worker", STRING_150_REQUIRED));
        for (String id : HOSTILE_PATHS) {
            for (String action : List.of("complete", "fail")) {
                out.add(new Req("lb", "POST", "/system/load/tasks/" + id + "/" + action, "application/json", "{\"worker\":\"w\"}"));
            }
            for (String kind : List.of("assistants", "codices", "rituals")) {
                out.add(new Req("lb", "DELETE", "/system/load/" + kind + "/" + id, null, null));
            }
            out.add(new Req("healing", "DELETE", "/assistants/" + id, null, null));
            out.add(new Req("daemon", "POST", "/system/daemon/zones/" + id + "/recover", "application/json", "{}"));
        }

        Map<String, Object> beliefs = obj("assistant_id", "a1", "beliefs", obj("b1", 0.5, "b2", 0.7));
        Map<String, Object> manyBeliefs = new LinkedHashMap<>();
        for (int i = 0; i < 1001; i++) {
            manyBeliefs.put("b" + i, 0.5);
        }
        bodies(out, "daemon", "POST", "/system/daemon/zones/hostile-z/beliefs", beliefs, Map.of(
                "assistant_id", STRING_150_REQUIRED,
                "beliefs", List.of(obj(), obj("b", 1.5), obj("b", -0.1), obj("b", "x"), obj("b", true), obj("x".repeat(151), 0.5),
                        List.of(0.5), "b", 0.5, manyBeliefs, obj("b", obj("c", 0.5)))));
        for (String raw : List.of("{\"assistant_id\":\"a\",\"beliefs\":{\"b\":NaN}}", "{\"assistant_id\":\"a\",\"beliefs\":{\"b\":1e999}}",
                "{\"assistant_id\":\"a\",\"beliefs\":{\"b\":null}}")) {
            out.add(new Req("daemon", "POST", "/system/daemon/zones/hostile-z/beliefs", "application/json", raw));
        }

        gets(out);
        wrongMethodsAndMediaTypes(out);
        return out;
    }

    private static final List<String> HOSTILE_PATHS = List.of("nobody", "%27%3B%20DROP%20TABLE%20x%3B--",
            "..%2F..%2Fetc", "%00", "x".repeat(300), "%E2%9C%93", "00000000-0000-0000-0000-000000000000", "1%20OR%201%3D1");

    private static final List<Object> STRING_150_REQUIRED = nullable(List.of(12, true, 1.5, List.of("x"), obj("a", "b"),
            "", "   ", "x".repeat(151), "y".repeat(20_000), "a\u0000b"));
    private static final List<Object> ENUM_REQUIRED = nullable(List.of("ENTROPY SPIKE", "meltdown", "'; DROP TABLE x;--", 1,
            true, List.of("entropy_spike"), ""));
    private static final List<Object> UNIT_INTERVAL_REQUIRED = nullable(List.of(-0.01, 1.01, "0.5", true, List.of(0.5),
            obj("v", 1), 1e308, -1e308));
    private static final List<Object> POSITIVE_REQUIRED = nullable(List.of(0, -1, "1", true, List.of(1), -1e308));
    private static final List<Object> NON_NEGATIVE_REQUIRED = nullable(List.of(-0.0001, -1, "1", true, List.of(1), -1e308));
    private static final List<Object> NUMBER = List.of("0.5", true, List.of(1), obj("a", 1));
    private static final List<Object> COUNT = List.of(-1, 1.5, "10", true, 1e12, List.of(1));
    private static final List<Object> TIMESTAMP = List.of("yesterday", 12345, true, "2026-13-45T99:00:00Z", List.of("x"));

    private static List<Object> nullable(List<Object> values) {
        List<Object> all = new ArrayList<>(values);
        all.add(null);
        return all;
    }

    /**
     * One request per broken value of each field; the other fields cycle through valid, hostile-but-
     * valid and absent-if-optional values, so the invalid field is met in many company.
     */
    private static void bodies(List<Req> out, String service, String method, String path, Map<String, Object> valid,
                               Map<String, List<Object>> bad) throws Exception {
        int variant = 0;
        for (var e : bad.entrySet()) {
            for (Object value : e.getValue()) {
                for (int filler = 0; filler < 6; filler++) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    for (var f : valid.entrySet()) {
                        Object v = f.getValue();
                        if (filler % 2 == 1 && v instanceof String) {
                            v = HOSTILE_STRINGS.get(variant++ % HOSTILE_STRINGS.size());
                            if (f.getKey().equals("kind") || f.getKey().equals("assistant_id")) {
                                v = f.getValue(); // enums and references stay valid, so only e.getKey() is wrong
                            }
                        }
                        body.put(f.getKey(), v);
                    }
                    body.put(e.getKey(), value);
                    if (filler == 2 || filler == 4) {
                        body.put("unexpected_" + variant++, HOSTILE_STRINGS.get(variant % HOSTILE_STRINGS.size()));
                    }
                    out.add(new Req(service, method, path, "application/json", JSON.writeValueAsString(body)));
                }
            }
        }
        genericBodies(out, service, method, path, valid);
    }

    /** Mutations of the first element of a list inside the body (the load map's entries). */
    private static void nested(List<Req> out, String service, String method, String path, Map<String, Object> valid,
                               String listKey, Map<String, List<Object>> bad) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> element = (Map<String, Object>) ((List<Object>) valid.get(listKey)).get(0);
        for (var e : bad.entrySet()) {
            for (Object value : e.getValue()) {
                for (int copies = 1; copies <= 5; copies++) {
                    Map<String, Object> broken = new LinkedHashMap<>(element);
                    broken.put(e.getKey(), value);
                    List<Object> list = new ArrayList<>();
                    for (int i = 1; i < copies; i++) {
                        list.add(element);
                    }
                    list.add(broken);
                    Map<String, Object> body = new LinkedHashMap<>(valid);
                    body.put(listKey, list);
                    out.add(new Req(service, method, path, "application/json", JSON.writeValueAsString(body)));
                }
            }
        }
        genericBodies(out, service, method, path, valid);
    }

    /** Broken JSON of every shape, truncations of a valid body, and non-finite literals. */
    private static void genericBodies(List<Req> out, String service, String method, String path, Map<String, Object> valid)
            throws Exception {
        String json = JSON.writeValueAsString(valid);
        for (int cut = 1; cut < json.length(); cut += Math.max(1, json.length() / 12)) {
            out.add(new Req(service, method, path, "application/json", json.substring(0, cut)));
        }
        List<String> raws = new ArrayList<>(List.of("true", "1", "\"x\"", "[", "]", "{", "}{", "{\"a\":}", "{'a':1}",
                "{\"a\":1,}", json + json, json + " x", "NaN", "{\"value\": NaN}", "{\"value\": Infinity}",
                "{\"value\": -Infinity}", "\u0000", "<xml/>", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["));
        if (!path.endsWith("/rebalance")) {
            raws.addAll(List.of("", " ", "null")); // a rebalance without a body is a valid whole-map rebalance
        }
        for (String raw : raws) {
            out.add(new Req(service, method, path, "application/json", raw));
        }
        out.add(new Req(service, method, path, "application/json", "[".repeat(5000) + "]".repeat(5000)));
        out.add(new Req(service, method, path, "application/json", "{\"x\":\"" + "y".repeat(1_100_000) + "\"}"));
        out.add(new Req(service, method, path, "text/plain", json));
        out.add(new Req(service, method, path, "application/xml", "<a>1</a>"));
        out.add(new Req(service, method, path, "application/x-www-form-urlencoded", "a=1&b=2"));
    }

    private static void gets(List<Req> out) {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("/assistants", "healing");
        routes.put("/system/health/recovery", "healing");
        routes.put("/system/load/plans", "lb");
        routes.put("/system/load/tasks", "lb");
        routes.put("/system/daemon/zones/hostile-z/events", "daemon");
        Function<String, String> enc = s -> URLEncoder.encode(s, StandardCharsets.UTF_8);
        List<String> badParams = List.of("limit=0", "limit=-1", "limit=100000", "limit=abc", "limit=1.5", "limit=",
                "offset=-1", "offset=abc", "offset=1e3", "limit=99999999999999999999", "status=bogus",
                "status=" + enc.apply("' OR 1=1 --"), "status=ACTIVE%00");
        for (var r : routes.entrySet()) {
            for (String q : badParams) {
                out.add(new Req(r.getValue(), "GET", r.getKey() + "?" + q, null, null));
            }
        }
        for (String q : List.of("group=", "group=" + enc.apply("' OR 1=1 --"), "group=" + "x".repeat(300))) {
            out.add(new Req("lb", "GET", "/system/load?" + q, null, null));
        }
        for (String id : HOSTILE_PATHS) {
            out.add(new Req("healing", "GET", "/assistants/" + id, null, null));
            out.add(new Req("healing", "GET", "/system/health/recovery/" + id, null, null));
            out.add(new Req("lb", "GET", "/system/load/plans/" + id, null, null));
            out.add(new Req("daemon", "GET", "/system/daemon/zones/" + id, null, null));
            out.add(new Req("daemon", "GET", "/system/daemon/zones/" + id + "/events", null, null));
        }
    }

    private static void wrongMethodsAndMediaTypes(List<Req> out) {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("/assistants", "healing");
        paths.put("/assistants/x", "healing");
        paths.put("/system/health/signals", "healing");
        paths.put("/system/health/rules", "healing");
        paths.put("/system/health/recovery", "healing");
        paths.put("/system/load", "lb");
        paths.put("/system/load/pressure", "lb");
        paths.put("/system/load/rebalance", "lb");
        paths.put("/system/load/plans", "lb");
        paths.put("/system/load/tasks/claim", "lb");
        paths.put("/system/daemon", "daemon");
        paths.put("/system/daemon/zones/z/beliefs", "daemon");
        for (var p : paths.entrySet()) {
            for (String m : List.of("PATCH", "DELETE", "PUT", "POST")) {
                boolean allowed = switch (p.getKey()) {
                    case "/assistants/x" -> m.equals("PUT") || m.equals("DELETE");
                    case "/system/health/signals", "/system/load/pressure", "/system/load/rebalance",
                         "/system/load/tasks/claim", "/system/daemon/zones/z/beliefs" -> m.equals("POST");
                    default -> false;
                };
                if (!allowed) {
                    out.add(new Req(p.getValue(), m, p.getKey(), "application/json", "{}"));
                }
            }
        }
        for (String path : List.of("/nope", "/system", "/system/health", "/system/load/nope", "/system/daemon/zones",
                "/q/nope", "/assistants/x/y/z")) {
            for (String svc : List.of("healing", "lb", "daemon")) {
                out.add(new Req(svc, "GET", path, null, null));
                out.add(new Req(svc, "POST", path, "application/json", "{}"));
            }
        }
    }

    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- stored data ------------------------------------------------------------------------------

    /** A digest of every table of the three schemas. */
    private static Map<String, String> snapshot() throws SQLException {
        Map<String, String> digests = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(DB), "postgres", "");
             Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                    + "WHERE table_schema IN ('healing', 'loadbalancer', 'recovery') AND table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') FROM " + t + " x")) {
                    rs.next();
                    digests.put(t, rs.getString(1));
                }
            }
        }
        return digests;
    }
}
