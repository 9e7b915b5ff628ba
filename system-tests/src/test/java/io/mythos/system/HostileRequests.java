package io.mythos.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invalid requests of {@link HostileInputIT}, each with the answer DESIGN.md's error contract
 * gives it: one mistake per request (a broken field among valid and hostile-but-valid ones, a broken
 * body, an unknown id, a wrong method or media type), the status, and the problem's title.
 */
final class HostileRequests {

    /** The problem a mistake is answered with: its status and title ({@code type} is always about:blank). */
    record Expect(int status, Set<String> titles) {
        Expect(int status, String title) {
            this(status, Set.of(title));
        }
    }

    static final Expect BAD_REQUEST = new Expect(400, "Bad Request");
    static final Expect MALFORMED = new Expect(400, "Malformed JSON");
    /**
     * A body cut short: Jackson reports a cut between tokens as malformed JSON, and a cut inside a
     * field's value or a nested object as that field's error (with the field in {@code violations}).
     */
    static final Expect TRUNCATED = new Expect(400, Set.of("Malformed JSON", "Bad Request"));
    static final Expect NOT_FOUND = new Expect(404, "Not Found");
    static final Expect NOT_ALLOWED = new Expect(405, "Method Not Allowed");
    static final Expect TOO_LARGE = new Expect(413, "Payload Too Large");
    static final Expect UNSUPPORTED = new Expect(415, "Unsupported Media Type");
    static final Expect UNKNOWN_REFERENCE = new Expect(422, "Unknown Reference");

    /** One request, what is wrong with it, and the answer expected. */
    record Req(String service, String method, String path, String contentType, String body, String mistake,
               Expect expect) {

        @Override
        public String toString() {
            return service + " " + method + " " + abbreviated(path, 120) + " [" + contentType + "] " + mistake + ": "
                    + (body == null ? "" : abbreviated(body, 200));
        }
    }

    /** A broken value whose answer is not a plain 400 (when it is the request's only mistake). */
    private record Bad(Object value, Expect expect) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Valid strings that are nasty to a careless implementation; as filler they keep a body valid. */
    private static final List<String> HOSTILE_STRINGS = List.of(
            "'; DROP TABLE assistant; --", "\" OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
            "../../etc/passwd", "%00", "Robert'); DELETE FROM codex;--", "\uD83D\uDD25 ünïcødé", "\\u0000");

    private static final String TOO_LONG_ID = "x".repeat(300);
    private static final String NUL = "%00";
    private static final String ZERO_UUID = "00000000-0000-0000-0000-000000000000";
    private static final List<String> HOSTILE_PATHS = List.of("nobody", "%27%3B%20DROP%20TABLE%20x%3B--",
            "..%2F..%2Fetc", NUL, TOO_LONG_ID, "%E2%9C%93", ZERO_UUID, "1%20OR%201%3D1");

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

    private HostileRequests() {
    }

    static List<Req> generate(String assistant) throws JsonProcessingException {
        List<Req> out = new ArrayList<>();
        bodies(out, "healing", "PUT", "/assistants/hostile-new", obj("name", "n", "group", "g", "zone", "z"), Map.of(
                "name", STRING_150_REQUIRED, "group", STRING_150_REQUIRED, "zone", STRING_150_REQUIRED));
        signals(out, assistant);
        rules(out);
        pressure(out, assistant);

        Map<String, Object> rebalance = obj("group", "hostile-g", "dry_run", true, "max_moves", 5, "target_imbalance", 1.1);
        bodies(out, "lb", "POST", "/system/load/rebalance", rebalance, Map.of(
                "group", List.of("", 1, true, "x".repeat(151), new Bad("nobody-group", NOT_FOUND)),
                "dry_run", List.of("yes", 1, obj()),
                "max_moves", List.of(-1, 1.5, "3", true, 1e12),
                "target_imbalance", List.of(0.5, "1.1", "NaN", true, -1)));
        bodies(out, "lb", "POST", "/system/load/tasks/claim", obj("worker", "w"), Map.of("worker", STRING_150_REQUIRED));
        for (String id : HOSTILE_PATHS) {
            for (String action : List.of("complete", "fail")) {
                out.add(new Req("lb", "POST", "/system/load/tasks/" + id + "/" + action, "application/json",
                        "{\"worker\":\"w\"}", "task id " + id, uuidId(id)));
            }
            for (String kind : List.of("assistants", "codices", "rituals")) {
                out.add(new Req("lb", "DELETE", "/system/load/" + kind + "/" + id, null, null, "id " + id, boundedId(id)));
            }
            out.add(new Req("healing", "DELETE", "/assistants/" + id, null, null, "id " + id, unboundedId(id)));
            out.add(new Req("daemon", "POST", "/system/daemon/zones/" + id + "/recover", "application/json", "{}",
                    "zone " + id, boundedId(id)));
        }
        beliefs(out);
        gets(out);
        wrongMethodsAndMediaTypes(out);
        return out;
    }

    /** A NUL in the URI is refused before routing; any other id that is no UUID is a bad request. */
    private static Expect uuidId(String id) {
        return id.equals(ZERO_UUID) ? NOT_FOUND : BAD_REQUEST;
    }

    /** An id of 1..150 characters: longer is a bad request, else it is just not there. */
    private static Expect boundedId(String id) {
        return id.equals(NUL) || id.equals(TOO_LONG_ID) ? BAD_REQUEST : NOT_FOUND;
    }

    /**
     * The healing service's GET and DELETE of an assistant do not check the id's length (only its PUT
     * does): an over-long id is simply not there.
     */
    private static Expect unboundedId(String id) {
        return id.equals(NUL) ? BAD_REQUEST : NOT_FOUND;
    }

    private static void signals(List<Req> out, String assistant) throws JsonProcessingException {
        Map<String, Object> signal = obj("node_id", "n1", "assistant_id", assistant, "kind", "entropy_spike",
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
                        JSON.writeValueAsString(List.of(signal, signal, broken)), "[2]." + e.getKey() + " = " + bad,
                        BAD_REQUEST));
            }
        }
        out.add(new Req("healing", "POST", "/system/health/signals", "application/json",
                JSON.writeValueAsString(Collections.nCopies(1001, signal)), "1001 signals", BAD_REQUEST));
        out.add(new Req("healing", "POST", "/system/health/signals", "application/json", "[]", "no signal", BAD_REQUEST));
    }

    private static void rules(List<Req> out) throws JsonProcessingException {
        Map<String, Object> rule = obj("threshold", 0.8, "window_seconds", 60, "min_occurrences", 1, "cooldown_seconds", 30);
        bodies(out, "healing", "PUT", "/system/health/rules/entropy_spike", rule, Map.of(
                "threshold", NUMBER, "window_seconds", COUNT, "min_occurrences", COUNT, "cooldown_seconds", COUNT));
        for (String kind : HOSTILE_PATHS) {
            // the rules are a fixed set: an unknown kind of any length is not there
            out.add(new Req("healing", "PUT", "/system/health/rules/" + kind, "application/json",
                    JSON.writeValueAsString(rule), "kind " + kind, unboundedId(kind)));
        }
    }

    private static void pressure(List<Req> out, String assistant) throws JsonProcessingException {
        Map<String, Object> pressure = obj(
                "assistants", List.of(obj("assistant_id", assistant, "group", "hostile-g", "capacity", 10.0, "memory_entropy", 0.1)),
                "codices", List.of(obj("codex_id", "hostile-c", "assistant_id", assistant, "pressure", 1.0)),
                "rituals", List.of(obj("ritual_id", "hostile-r", "assistant_id", assistant, "density", 1.0, "priority", "low")));
        List<Object> references = List.of(new Bad("nobody-here", UNKNOWN_REFERENCE), 1, "", "x".repeat(151));
        nested(out, "lb", "POST", "/system/load/pressure", pressure, "assistants", Map.of(
                "assistant_id", STRING_150_REQUIRED, "group", STRING_150_REQUIRED,
                "capacity", POSITIVE_REQUIRED, "memory_entropy", UNIT_INTERVAL_REQUIRED));
        nested(out, "lb", "POST", "/system/load/pressure", pressure, "codices", Map.of(
                "codex_id", STRING_150_REQUIRED, "assistant_id", references, "pressure", NON_NEGATIVE_REQUIRED));
        nested(out, "lb", "POST", "/system/load/pressure", pressure, "rituals", Map.of(
                "ritual_id", STRING_150_REQUIRED, "assistant_id", references,
                "density", NON_NEGATIVE_REQUIRED, "priority", ENUM_REQUIRED));
        for (String key : List.of("assistants", "codices", "rituals")) {
            for (Object bad : List.of("x", 1, obj("a", 1), List.of(1), List.of("x"))) {
                Map<String, Object> broken = new LinkedHashMap<>(pressure);
                broken.put(key, bad);
                out.add(new Req("lb", "POST", "/system/load/pressure", "application/json",
                        JSON.writeValueAsString(broken), key + " = " + bad, BAD_REQUEST));
            }
        }
    }

    private static void beliefs(List<Req> out) throws JsonProcessingException {
        String path = "/system/daemon/zones/hostile-z/beliefs";
        Map<String, Object> manyBeliefs = new LinkedHashMap<>();
        for (int i = 0; i < 1001; i++) {
            manyBeliefs.put("b" + i, 0.5);
        }
        bodies(out, "daemon", "POST", path, obj("assistant_id", "a1", "beliefs", obj("b1", 0.5, "b2", 0.7)), Map.of(
                "assistant_id", STRING_150_REQUIRED,
                "beliefs", List.of(obj(), obj("b", 1.5), obj("b", -0.1), obj("b", "x"), obj("b", true), obj("x".repeat(151), 0.5),
                        List.of(0.5), "b", 0.5, manyBeliefs, obj("b", obj("c", 0.5)))));
        for (String raw : List.of("{\"assistant_id\":\"a\",\"beliefs\":{\"b\":NaN}}",
                "{\"assistant_id\":\"a\",\"beliefs\":{\"b\":1e999}}", "{\"assistant_id\":\"a\",\"beliefs\":{\"b\":null}}")) {
            out.add(new Req("daemon", "POST", path, "application/json", raw, "belief not a finite number", BAD_REQUEST));
        }
    }

    private static List<Object> nullable(List<Object> values) {
        List<Object> all = new ArrayList<>(values);
        all.add(null);
        return all;
    }

    private static Object valueOf(Object bad) {
        return bad instanceof Bad b ? b.value : bad;
    }

    private static Expect expectOf(Object bad) {
        return bad instanceof Bad b ? b.expect : BAD_REQUEST;
    }

    /**
     * One request per broken value of each field; the other fields cycle through valid and hostile-
     * but-valid values and unknown extra fields (ignored), so the invalid field is met in many company.
     */
    private static void bodies(List<Req> out, String service, String method, String path, Map<String, Object> valid,
                               Map<String, List<Object>> bad) throws JsonProcessingException {
        int variant = 0;
        for (var e : bad.entrySet()) {
            for (Object broken : e.getValue()) {
                for (int filler = 0; filler < 6; filler++) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    for (var f : valid.entrySet()) {
                        Object v = f.getValue();
                        if (filler % 2 == 1 && v instanceof String
                                && !f.getKey().equals("kind") && !f.getKey().equals("assistant_id")) {
                            // enums and references stay valid, so only e.getKey() is wrong
                            v = HOSTILE_STRINGS.get(variant++ % HOSTILE_STRINGS.size());
                        }
                        body.put(f.getKey(), v);
                    }
                    body.put(e.getKey(), valueOf(broken));
                    if (filler == 2 || filler == 4) {
                        body.put("unexpected_" + variant++, HOSTILE_STRINGS.get(variant % HOSTILE_STRINGS.size()));
                    }
                    out.add(new Req(service, method, path, "application/json", JSON.writeValueAsString(body),
                            e.getKey() + " = " + abbreviated(valueOf(broken), 40), expectOf(broken)));
                }
            }
        }
        genericBodies(out, service, method, path, valid);
    }

    /**
     * Mutations of the first element of a list inside the body (the load map's entries), alone or
     * after copies of the valid element. Copies repeat the element's id, which is a mistake of its own
     * (400), so a broken value with another answer has it only when it is alone.
     */
    private static void nested(List<Req> out, String service, String method, String path, Map<String, Object> valid,
                               String listKey, Map<String, List<Object>> bad) throws JsonProcessingException {
        @SuppressWarnings("unchecked")
        Map<String, Object> element = (Map<String, Object>) ((List<Object>) valid.get(listKey)).get(0);
        for (var e : bad.entrySet()) {
            for (Object value : e.getValue()) {
                for (int copies = 1; copies <= 5; copies++) {
                    Map<String, Object> broken = new LinkedHashMap<>(element);
                    broken.put(e.getKey(), valueOf(value));
                    List<Object> list = new ArrayList<>();
                    for (int i = 1; i < copies; i++) {
                        list.add(element);
                    }
                    list.add(broken);
                    Map<String, Object> body = new LinkedHashMap<>(valid);
                    body.put(listKey, list);
                    out.add(new Req(service, method, path, "application/json", JSON.writeValueAsString(body),
                            listKey + "[" + (copies - 1) + "]." + e.getKey() + " = " + abbreviated(valueOf(value), 40),
                            copies == 1 ? expectOf(value) : BAD_REQUEST));
                }
            }
        }
        genericBodies(out, service, method, path, valid);
    }

    /** Broken JSON of every shape, truncations of a valid body, non-finite literals, other media types. */
    private static void genericBodies(List<Req> out, String service, String method, String path, Map<String, Object> valid)
            throws JsonProcessingException {
        String json = JSON.writeValueAsString(valid);
        for (int cut = 1; cut < json.length(); cut += Math.max(1, json.length() / 12)) {
            out.add(new Req(service, method, path, "application/json", json.substring(0, cut), "truncated", TRUNCATED));
        }
        // The signals route takes an object or an array and reads the first token itself.
        boolean objectOrArray = path.equals("/system/health/signals");
        Map<String, Expect> raws = new LinkedHashMap<>();
        for (String wrongShape : List.of("true", "1", "\"x\"", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
                "[".repeat(5000) + "]".repeat(5000), json + json)) {
            raws.put(wrongShape, BAD_REQUEST); // well-formed as far as read, but not the body's shape
        }
        raws.put("[", objectOrArray ? MALFORMED : BAD_REQUEST); // an array is the wrong shape before it is cut short
        raws.put("\u0000", objectOrArray ? BAD_REQUEST : MALFORMED); // no first token: as if there were no body
        for (String malformed : List.of("]", "{", "}{", "{\"a\":}", "{'a':1}", "{\"a\":1,}", json + " x", "NaN",
                "{\"value\": NaN}", "{\"value\": Infinity}", "{\"value\": -Infinity}", "<xml/>")) {
            raws.put(malformed, MALFORMED);
        }
        if (!path.endsWith("/rebalance")) { // a rebalance without a body is a valid whole-map rebalance
            for (String none : List.of("", " ", "null")) {
                raws.put(none, BAD_REQUEST);
            }
        }
        raws.forEach((raw, expect) -> out.add(new Req(service, method, path, "application/json", raw, "raw body", expect)));
        out.add(new Req(service, method, path, "application/json", "{\"x\":\"" + "y".repeat(1_100_000) + "\"}",
                "over 1 MiB", TOO_LARGE));
        out.add(new Req(service, method, path, "text/plain", json, "media type", UNSUPPORTED));
        out.add(new Req(service, method, path, "application/xml", "<a>1</a>", "media type", UNSUPPORTED));
        out.add(new Req(service, method, path, "application/x-www-form-urlencoded", "a=1&b=2", "media type", UNSUPPORTED));
    }

    private static void gets(List<Req> out) {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("/assistants", "healing");
        routes.put("/system/health/recovery", "healing");
        routes.put("/system/load/plans", "lb");
        routes.put("/system/load/tasks", "lb");
        routes.put("/system/daemon/zones/hostile-z/events", "daemon");
        List<String> badParams = List.of("limit=0", "limit=-1", "limit=100000", "limit=abc", "limit=1.5",
                "offset=-1", "offset=abc", "offset=1e3", "limit=99999999999999999999", "status=ACTIVE%00");
        for (var r : routes.entrySet()) {
            List<String> params = new ArrayList<>(badParams);
            if (r.getKey().equals("/system/health/recovery") || r.getKey().equals("/system/load/tasks")) {
                params.addAll(List.of("status=bogus", "status=" + encoded("' OR 1=1 --")));
            }
            for (String q : params) {
                out.add(new Req(r.getValue(), "GET", r.getKey() + "?" + q, null, null, "query " + q, BAD_REQUEST));
            }
        }
        out.add(new Req("lb", "GET", "/system/load?group=" + encoded("' OR 1=1 --"), null, null, "unknown group", NOT_FOUND));
        out.add(new Req("lb", "GET", "/system/load?group=" + "x".repeat(300), null, null, "group too long", BAD_REQUEST));
        for (String id : HOSTILE_PATHS) {
            out.add(new Req("healing", "GET", "/assistants/" + id, null, null, "id " + id, unboundedId(id)));
            out.add(new Req("healing", "GET", "/system/health/recovery/" + id, null, null, "id " + id, uuidId(id)));
            out.add(new Req("lb", "GET", "/system/load/plans/" + id, null, null, "id " + id, uuidId(id)));
            out.add(new Req("daemon", "GET", "/system/daemon/zones/" + id, null, null, "zone " + id, boundedId(id)));
            out.add(new Req("daemon", "GET", "/system/daemon/zones/" + id + "/events", null, null, "zone " + id, boundedId(id)));
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
                    out.add(new Req(p.getValue(), m, p.getKey(), "application/json", "{}", "method", NOT_ALLOWED));
                }
            }
        }
        for (String path : List.of("/nope", "/system", "/system/health", "/system/load/nope", "/system/daemon/zones",
                "/q/nope", "/assistants/x/y/z")) {
            for (String svc : List.of("healing", "lb", "daemon")) {
                out.add(new Req(svc, "GET", path, null, null, "no such route", NOT_FOUND));
                out.add(new Req(svc, "POST", path, "application/json", "{}", "no such route", NOT_FOUND));
            }
        }
    }

    private static String encoded(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviated(Object value, int length) {
        String s = String.valueOf(value);
        return s.length() > length ? s.substring(0, length) + "...(" + s.length() + ")" : s;
    }

    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
