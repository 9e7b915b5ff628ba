package io.mythos.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a generated sweep of VALID requests at the edges of every range (DESIGN.md "Limits and
 * isolation"), across every route of the three services, many of them concurrent on the same ids: the
 * largest and smallest numbers, the longest ids, many items, Unicode, repeated idempotency keys. None
 * may be answered with a 5xx, each gets one of the statuses its request calls for, and afterwards every
 * read route still answers 200 with finite numbers only. The plumbing (services on the built jars, an
 * operator's token) is {@link HostileInputIT}'s.
 */
class ValidExtremeSweepIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String DB = "mythos_system_extreme";
    private static final Random RANDOM = new Random(12);

    private static MythosSystem sys;

    /** One request and the statuses that are right for it (never a 5xx). */
    record Req(String service, String method, String path, Map<String, String> headers, String body, Set<Integer> ok,
               String what) {

        @Override
        public String toString() {
            return service + " " + method + " " + (path.length() > 120 ? path.substring(0, 120) + "..." : path) + " (" + what + ")";
        }
    }

    @BeforeAll
    static void start() {
        sys = MythosSystem.start(Postgres.forSuites(), DB, Map.of());
    }

    @AfterAll
    static void stop() {
        if (sys != null) {
            sys.close();
        }
    }

    // ---- values at the edges ----

    /** Ids at the edges of 1..150 characters, in several scripts (150 UTF-16 units: what @Size counts). */
    static String id(String prefix, int i) {
        return switch (i % 5) {
            case 0 -> prefix + "-" + i;
            case 1 -> cut(prefix + "-" + i + "-" + "x".repeat(150), 150);
            case 2 -> cut((prefix + i + "-ünïcødé-Ωμέγα-日本語-").repeat(10), 150);
            case 3 -> cut(prefix + i + "-" + "\uD83D\uDD25\uD83D\uDE80".repeat(40), 150);
            default -> cut((prefix + i + " ' \" ; -- % _ \\ < > & ").repeat(10), 150);
        };
    }

    /** At most {@code units} UTF-16 units, never half a surrogate pair. */
    static String cut(String s, int units) {
        if (s.length() <= units) {
            return s;
        }
        return Character.isHighSurrogate(s.charAt(units - 1)) ? s.substring(0, units - 1) : s.substring(0, units);
    }

    static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static final double[] CAPACITIES = {1e-6, 1.0000001e-6, 1e-3, 1, 1e6, 1e9};
    static final double[] AMOUNTS = {0, 1e-300, 1e-6, 1, 123456.789, 1e9};
    static final double[] UNIT = {0, 1e-12, 0.1, 0.5, 0.8, 0.999999, 1};

    static Req req(String service, String method, String path, Object body, Set<Integer> ok, String what) {
        return new Req(service, method, path, Map.of(), body == null ? null : body instanceof String s ? s : json(body), ok, what);
    }

    static Req keyed(String service, String path, Object body, String key, Set<Integer> ok, String what) {
        return new Req(service, "POST", path, Map.of("Idempotency-Key", key), json(body), ok, what);
    }

    // ---- the sweep ----

    @Test
    void extremeButValidRequestsAreNever5xxAndEveryReadStaysHealthy() throws Exception {
        List<String> assistants = new ArrayList<>();
        List<List<Req>> phases = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);

        // phase 1: the registry (healing) and the load map (LB), every id shape, in groups sharing ids
        List<Req> registry = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String a = id("asst", i);
            assistants.add(a);
            String group = id("grp", i % 4);
            String zone = id("zone", i % 3);
            for (int repeat = 0; repeat < 2; repeat++) { // concurrent create and update of one id
                registry.add(req("healing", "PUT", "/assistants/" + path(a),
                        obj("name", repeat == 0 ? "n" : id("name", i), "group", group, "zone", zone), Set.of(200, 201), "assistant"));
            }
        }
        phases.add(registry);

        List<Req> map = new ArrayList<>();
        for (int i = 0; i < assistants.size(); i++) {
            String a = assistants.get(i);
            List<Object> codices = new ArrayList<>();
            List<Object> rituals = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                codices.add(obj("codex_id", id("cdx" + i, c), "assistant_id", a, "pressure", AMOUNTS[(i + c) % AMOUNTS.length],
                        "read_mostly", c % 2 == 0));
                rituals.add(obj("ritual_id", id("rit" + i, c), "assistant_id", a, "density", AMOUNTS[(i * 7 + c) % AMOUNTS.length],
                        "priority", List.of("critical", "normal", "low").get(c % 3)));
            }
            map.add(req("lb", "POST", "/system/load/pressure", obj(
                    "assistants", List.of(obj("assistant_id", a, "group", id("grp", i % 4), "capacity", CAPACITIES[i % CAPACITIES.length],
                            "memory_entropy", UNIT[i % UNIT.length])),
                    "codices", codices, "rituals", rituals), Set.of(200), "load map of one assistant"));
        }
        // a group of the smallest capacities, fully entropic, carrying the largest codices and rituals (stored before
        // the next phase, whose requests run in any order, rebalances it)
        String tiny = id("tiny-group", 3);
        map.add(req("lb", "POST", "/system/load/pressure", obj(
                "assistants", List.of(obj("assistant_id", "tiny-1", "group", tiny, "capacity", 1e-6, "memory_entropy", 1.0),
                        obj("assistant_id", "tiny-2", "group", tiny, "capacity", 1e-6, "memory_entropy", 1.0)),
                "codices", List.of(obj("codex_id", "tiny-c1", "assistant_id", "tiny-1", "pressure", 1e9),
                        obj("codex_id", "tiny-c2", "assistant_id", "tiny-1", "pressure", 1e9, "read_mostly", true)),
                "rituals", List.of(obj("ritual_id", "tiny-r1", "assistant_id", "tiny-1", "density", 1e9, "priority", "critical"),
                        obj("ritual_id", "tiny-r2", "assistant_id", "tiny-1", "density", 1e9, "priority", "normal"),
                        obj("ritual_id", "tiny-r3", "assistant_id", "tiny-1", "density", 1e9, "priority", "low"))),
                Set.of(200), "the smallest capacities with the largest loads"));
        phases.add(map);

        List<Req> mixed = new ArrayList<>();
        // one request of 10,000 codices at the largest pressure on the smallest capacities (under 1 MiB)
        List<Object> many = new ArrayList<>();
        for (int c = 0; c < 10_000; c++) {
            many.add(obj("codex_id", "m" + c, "assistant_id", assistants.get(c % 2 == 0 ? 0 : 5), "pressure", 1e9));
        }
        mixed.add(req("lb", "POST", "/system/load/pressure", obj("codices", many), Set.of(200), "10,000 codices of 1e9"));
        for (boolean dry : List.of(true, false, true)) {
            mixed.add(req("lb", "POST", "/system/load/rebalance", obj("group", tiny, "dry_run", dry), Set.of(200), "rebalance of it"));
        }
        // signals: values at the bounds, observation times at both ends of the window, arrays up to 1,000
        for (int i = 0; i < 1000; i++) {
            String a = assistants.get(i % assistants.size());
            String kind = List.of("entropy_spike", "ritual_failure", "codex_conflict", "symbolic_error").get(i % 4);
            Map<String, Object> s = obj("node_id", id("node", i % 25), "assistant_id", a, "kind", kind,
                    "value", UNIT[i % UNIT.length]);
            switch (i % 4) {
                case 0 -> s.put("observed_at", now.minusDays(30).plusMinutes(10).toString());
                case 1 -> s.put("observed_at", now.plusMinutes(4).toString());
                case 2 -> s.put("detail", cut("d\u00e9tail \uD83D\uDD25 ".repeat(200), 2000));
                default -> { }
            }
            mixed.add(req("healing", "POST", "/system/health/signals", s, Set.of(202), "signal"));
        }
        for (int b = 0; b < 8; b++) {
            List<Object> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.add(obj("node_id", id("bulk", i % 40), "assistant_id", assistants.get((b + i) % assistants.size()),
                        "kind", i % 2 == 0 ? "entropy_spike" : "ritual_failure", "value", UNIT[i % UNIT.length],
                        "observed_at", now.minusSeconds(i).toString()));
            }
            mixed.add(req("healing", "POST", "/system/health/signals", batch, Set.of(202), "1,000 signals"));
        }
        // rules at their bounds (set back to the defaults at the end)
        for (String kind : List.of("entropy_spike", "ritual_failure", "codex_conflict", "symbolic_error")) {
            mixed.add(req("healing", "PUT", "/system/health/rules/" + kind, obj("threshold", 1.0, "window_seconds", 86400,
                    "min_occurrences", 100000, "cooldown_seconds", 86400), Set.of(200), "rule at its upper bounds"));
            mixed.add(req("healing", "PUT", "/system/health/rules/" + kind, obj("threshold", 0.0, "window_seconds", 0,
                    "min_occurrences", 1, "cooldown_seconds", 0), Set.of(200), "rule at its lower bounds"));
        }
        // beliefs: 1,000 per report, confidences 0 and 1, long Unicode names, many replicas of one zone
        for (int z = 0; z < 6; z++) {
            String zone = id("bz", z);
            for (int r = 0; r < 40; r++) {
                Map<String, Object> beliefs = new LinkedHashMap<>();
                int count = r % 10 == 0 ? 1000 : 1 + r;
                for (int b = 0; b < count; b++) {
                    beliefs.put(b % 3 == 0 ? id("belief", b) : "b" + b, UNIT[(b + r) % UNIT.length]);
                }
                mixed.add(req("daemon", "POST", "/system/daemon/zones/" + path(zone) + "/beliefs",
                        obj("assistant_id", assistants.get(r % assistants.size()), "beliefs", beliefs), Set.of(200), "belief report"));
            }
        }
        // rebalances: every knob at its bounds, dry and real, keys of 200 printable characters repeated concurrently
        for (int i = 0; i < 120; i++) {
            Map<String, Object> body = obj("dry_run", i % 2 == 0, "max_moves", i % 3 == 0 ? 0 : 10000,
                    "target_imbalance", i % 4 == 0 ? 1.0 : 100.0);
            if (i % 5 != 4) {
                body.put("group", id("grp", i % 4));
            }
            String key = (i % 3 == 0 ? "~ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}" : "k") + "-" + (i / 3);
            key = (key + "-".repeat(200)).substring(0, 200);
            mixed.add(keyed("lb", "/system/load/rebalance", body, key, Set.of(200, 409, 422), "rebalance under a key"));
            mixed.add(keyed("lb", "/system/load/rebalance", body, key, Set.of(200, 409, 422), "the same key again"));
        }
        phases.add(mixed);

        List<Req> second = new ArrayList<>();
        for (int z = 0; z < 6; z++) {
            String zone = path(id("bz", z));
            for (int k = 0; k < 10; k++) {
                String key = ("recover-" + z + "-" + k + "-" + "~".repeat(200)).substring(0, 200);
                second.add(keyed("daemon", "/system/daemon/zones/" + zone + "/recover", Map.of(), key, Set.of(200, 409), "recover"));
                second.add(keyed("daemon", "/system/daemon/zones/" + zone + "/recover", Map.of(), key, Set.of(200, 409), "recover again"));
            }
        }
        for (int i = 0; i < 3; i++) {
            second.add(req("daemon", "POST", "/system/daemon/cycle", null, Set.of(200), "cycle"));
        }
        for (int i = 0; i < 60; i++) {
            String worker = id("worker", i);
            second.add(req("lb", "POST", "/system/load/tasks/claim", obj("worker", worker), Set.of(200, 204), "claim"));
        }
        for (String kind : List.of("entropy_spike", "ritual_failure", "codex_conflict", "symbolic_error")) {
            second.add(req("healing", "PUT", "/system/health/rules/" + kind, obj("threshold", kind.equals("entropy_spike") ? 0.8 : null,
                    "window_seconds", 60, "min_occurrences", kind.equals("ritual_failure") ? 3 : 1, "cooldown_seconds", 30),
                    Set.of(200), "rule back to its default"));
        }
        phases.add(second);

        List<Req> reads = reads(assistants);
        // reads at the edges of paging, many times, interleaved with the writes above
        List<Req> third = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            third.addAll(reads);
        }
        // deletes: codices, rituals, and assistants (some still own codices: 409), and repeated (404)
        for (int i = 0; i < 20; i++) {
            third.add(req("lb", "DELETE", "/system/load/codices/" + path(id("cdx" + i, 1)), null, Set.of(204, 404), "delete codex"));
            third.add(req("lb", "DELETE", "/system/load/rituals/" + path(id("rit" + i, 1)), null, Set.of(204, 404), "delete ritual"));
            third.add(req("lb", "DELETE", "/system/load/assistants/" + path(assistants.get(50 + i % 10)), null, Set.of(204, 404, 409),
                    "delete assistant"));
        }
        phases.add(third);

        int total = phases.stream().mapToInt(List::size).sum();
        assertTrue(total >= 2000, "sweep size " + total);
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        try {
            for (List<Req> phase : phases) {
                List<Req> shuffled = new ArrayList<>(phase);
                Collections.shuffle(shuffled, RANDOM);
                List<Future<?>> done = new ArrayList<>();
                Map<Integer, Integer> counts = new ConcurrentHashMap<>();
                for (Req r : shuffled) {
                    done.add(pool.submit(() -> {
                        HttpResponse<String> res;
                        try {
                            res = send(r);
                        } catch (java.net.http.HttpTimeoutException e) {
                            // no answer within the client's 60 s is a failure too, named like the others (status 0)
                            counts.merge(0, 1, Integer::sum);
                            failures.add("no answer within 60 s for " + r);
                            return null;
                        }
                        counts.merge(res.statusCode(), 1, Integer::sum);
                        if (!r.ok().contains(res.statusCode())) {
                            failures.add(res.statusCode() + " for " + r + ": " + abbreviated(res.body()));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                counts.forEach((k, v) -> byStatus.merge(k, v, Integer::sum));
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("valid extreme sweep: %d requests in %d s, statuses %s%n", total,
                (System.nanoTime() - started) / 1_000_000_000L, byStatus);
        assertTrue(failures.isEmpty(), failures.size() + " unexpected answers, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        assertTrue(byStatus.keySet().stream().noneMatch(s -> s >= 500), "5xx answers: " + byStatus);

        // afterwards: every read route answers 200 with finite numbers only
        List<String> broken = new ArrayList<>();
        for (Req r : reads) {
            HttpResponse<String> res = send(r);
            if (res.statusCode() != 200) {
                broken.add(res.statusCode() + " for " + r + ": " + abbreviated(res.body()));
                continue;
            }
            String notFinite = firstNonFinite(JSON.readTree(res.body()), "");
            if (notFinite != null) {
                broken.add("a number that is not finite at " + notFinite + " in " + r);
            }
        }
        assertStreamAnswers();
        assertTrue(broken.isEmpty(), String.join("\n", broken));
    }

    /** Every read route, at the edges of its paging and filters. */
    private static List<Req> reads(List<String> assistants) {
        List<Req> reads = new ArrayList<>();
        Set<Integer> ok = Set.of(200);
        reads.add(req("healing", "GET", "/assistants?limit=500", null, ok, "assistants"));
        reads.add(req("healing", "GET", "/assistants?limit=1&offset=2147483647", null, ok, "assistants, last page"));
        reads.add(req("healing", "GET", "/assistants?limit=500&offset=2147483647", null, ok, "assistants, the largest page at the largest offset"));
        reads.add(req("daemon", "GET", "/system/daemon/zones/" + path(id("bz", 1)) + "/events?limit=500&offset=2147483647", null, ok,
                "zone events, far page"));
        reads.add(req("lb", "GET", "/system/load/tasks?limit=500&offset=2147483647", null, ok, "tasks, far page"));
        reads.add(req("lb", "GET", "/system/load/plans?limit=500&offset=2147483647", null, ok, "plans, far page"));
        reads.add(req("healing", "GET", "/assistants?group=" + path(id("grp", 2)) + "&zone=" + path(id("zone", 2)), null, ok, "by group"));
        for (int i = 0; i < 5; i++) {
            reads.add(req("healing", "GET", "/assistants/" + path(assistants.get(i)), null, ok, "one assistant"));
        }
        for (String status : List.of("active", "resolved", "failed", "all")) {
            reads.add(req("healing", "GET", "/system/health/recovery?limit=500&status=" + status, null, ok, "events"));
        }
        reads.add(req("healing", "GET", "/system/health/recovery?status=all&offset=2147483647", null, ok, "events, far page"));
        reads.add(req("healing", "GET", "/system/health/recovery?status=all&node_id=" + path(id("node", 2)) + "&assistant_id="
                + path(assistants.get(2)) + "&triggered_by=codex_conflict", null, ok, "events, every filter"));
        reads.add(req("healing", "GET", "/system/health/rules", null, ok, "rules"));
        reads.add(req("lb", "GET", "/system/load", null, ok, "the whole map"));
        for (int g = 0; g < 4; g++) {
            reads.add(req("lb", "GET", "/system/load?group=" + path(id("grp", g)), null, ok, "one group"));
        }
        reads.add(req("lb", "GET", "/system/load/plans?limit=500", null, ok, "plans"));
        reads.add(req("lb", "GET", "/system/load/plans?limit=1&offset=2147483647", null, ok, "plans, far page"));
        for (String status : List.of("pending", "claimed", "done", "failed")) {
            reads.add(req("lb", "GET", "/system/load/tasks?limit=500&status=" + status, null, ok, "tasks"));
        }
        reads.add(req("daemon", "GET", "/system/daemon", null, ok, "daemon overview"));
        for (int z = 0; z < 6; z++) {
            String zone = path(id("bz", z));
            reads.add(req("daemon", "GET", "/system/daemon/zones/" + zone, null, ok, "zone"));
            reads.add(req("daemon", "GET", "/system/daemon/zones/" + zone + "/events?limit=500", null, ok, "zone events"));
        }
        return reads;
    }

    /** The load stream still opens (200, text/event-stream). */
    private static void assertStreamAnswers() throws Exception {
        HttpResponse<InputStream> res = HTTP.send(HttpRequest.newBuilder(URI.create(sys.loadBalancer().url() + "/system/load/stream"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + SystemTokens.operator())
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = res.body()) {
            assertEquals(200, res.statusCode());
            assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        }
    }

    /** The path of the first number that is not finite (Jackson reads 1e999 as Infinity), or null. */
    static String firstNonFinite(JsonNode node, String at) {
        if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
            return at;
        }
        if (node.isContainerNode()) {
            var fields = node.fields();
            int i = 0;
            if (node.isArray()) {
                for (JsonNode child : node) {
                    String found = firstNonFinite(child, at + "[" + i++ + "]");
                    if (found != null) {
                        return found;
                    }
                }
            } else {
                while (fields.hasNext()) {
                    var e = fields.next();
                    String found = firstNonFinite(e.getValue(), at + "." + e.getKey());
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    private static String abbreviated(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static HttpResponse<String> send(Req r) throws Exception {
        String base = switch (r.service()) {
            case "healing" -> sys.healing().url();
            case "lb" -> sys.loadBalancer().url();
            default -> sys.daemon().url();
        };
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r.path())).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + SystemTokens.operator());
        r.headers().forEach(b::header);
        if (r.body() != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(r.body()));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
