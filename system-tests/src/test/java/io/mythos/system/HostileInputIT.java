package io.mythos.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mythos.system.HostileRequests.Req;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A generated sweep of invalid requests across every route of the three services ({@link
 * HostileRequests}): each must be answered with the status its mistake calls for, as problem+json
 * with type, title and status, and no stored row may change.
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DB = "mythos_system_hostile";
    private static final String ASSISTANT = "hostile-a1";

    private static MythosSystem sys;
    private static Postgres pg;

    @BeforeAll
    static void start() {
        pg = Postgres.forSuites();
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

    @Test
    void everyMistakeGetsItsProblemAndNothingChanges() throws Exception {
        Map<String, String> before = snapshot();
        List<Req> requests = HostileRequests.generate(ASSISTANT);
        assertTrue(requests.size() >= 2000, "sweep size " + requests.size());
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (Req r : requests) {
            HttpResponse<String> resp = send(r);
            byStatus.merge(resp.statusCode(), 1, Integer::sum);
            String wrong = check(r, resp);
            if (wrong != null) {
                failures.add(wrong + "\n    for " + r);
            }
        }
        System.out.printf("hostile sweep: %d requests, statuses %s%n", requests.size(), byStatus);
        assertTrue(failures.isEmpty(), failures.size() + " failures, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        assertEquals(before, snapshot(), "stored data changed");
    }

    /** What is wrong with the answer, or null: the expected status, as problem+json of that status and title. */
    private static String check(Req r, HttpResponse<String> resp) {
        int status = resp.statusCode();
        String contentType = resp.headers().firstValue("content-type").orElse("");
        if (status != r.expect().status()) {
            return "answered " + status + " instead of " + r.expect().status() + ": " + abbreviated(resp.body());
        }
        if (!contentType.startsWith("application/problem+json")) {
            return status + " is not problem+json (" + contentType + "): " + abbreviated(resp.body());
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(resp.body());
        } catch (Exception e) {
            return "a problem that is not JSON: " + abbreviated(resp.body());
        }
        if (!"about:blank".equals(problem.path("type").asText()) || problem.path("status").asInt() != status
                || !r.expect().titles().contains(problem.path("title").asText())) {
            return "problem " + abbreviated(resp.body()) + " is not {type: about:blank, title: one of "
                    + r.expect().titles() + ", status: " + status + "}";
        }
        return null;
    }

    private static String abbreviated(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static HttpResponse<String> send(Req r) throws Exception {
        String base = switch (r.service()) {
            case "healing" -> sys.healing().url();
            case "lb" -> sys.loadBalancer().url();
            default -> sys.daemon().url();
        };
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + r.path())).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + SystemTokens.operator()); // hostile input, but from an operator: it must reach the code
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        HttpRequest.BodyPublisher body = r.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(r.body());
        b.method(r.method(), body);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A digest of every table of the three schemas. */
    private static Map<String, String> snapshot() throws SQLException {
        Map<String, String> digests = new TreeMap<>();
        try (Connection c = pg.connect(DB); Statement s = c.createStatement()) {
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
