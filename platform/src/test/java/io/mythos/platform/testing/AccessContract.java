package io.mythos.platform.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.platform.security.Roles;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Access control", generated from the service's own OpenAPI document: every operation it
 * documents is checked without a token (401 problem with {@code WWW-Authenticate: Bearer}), with a token of
 * each role that may not call it (403 problem) and with each role that may (neither 401 nor 403). The
 * service's test names the roles of each route (from DESIGN.md) in {@link #allowed()}; a documented
 * operation missing from that table, or a table entry no longer documented, fails the test, so that a new
 * route cannot go unchecked.
 */
public abstract class AccessContract {

    /** Every role, for routes that every role may read (a write role includes viewer). */
    protected static final Set<String> ANYONE = Set.copyOf(Roles.ALL);

    private static final String PATH_VALUE = "3f1c2b4e-0d5a-4c1e-9b7a-6f2e8d9c0a1b"; // valid for every path parameter
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance on the first request
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code "METHOD /path/{param}"} of every documented operation, to the roles that may call it. */
    protected abstract Map<String, Set<String>> allowed();

    /** Routes the service answers without a token besides the platform's ({@code /q/...}), if any. */
    protected List<String> openRoutes() {
        return List.of();
    }

    @Test
    void theTableCoversExactlyTheDocumentedOperations() {
        assertEquals(new TreeSet<>(allowed().keySet()), new TreeSet<>(documentedOperations()));
        for (Map.Entry<String, Set<String>> e : allowed().entrySet()) {
            assertTrue(e.getValue().contains(Roles.OPERATOR), e.getKey() + ": operator may do everything");
            assertTrue(Roles.ALL.containsAll(e.getValue()), e.getKey() + ": unknown role in " + e.getValue());
        }
    }

    @Test
    void withoutATokenEveryOperationIs401Problem() {
        for (String op : documentedOperations()) {
            HttpResponse<String> r = call(op, null);
            assertEquals(401, r.statusCode(), op);
            assertProblem(op, r, 401);
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), op + ": WWW-Authenticate");
        }
    }

    @Test
    void withATokenLackingTheRoleEveryOperationIs403Problem() {
        for (String op : documentedOperations()) {
            Set<String> may = allowed().getOrDefault(op, Set.of());
            List<String[]> lacking = new ArrayList<>();
            lacking.add(new String[0]); // a valid token with no role at all
            for (String role : Roles.ALL) {
                if (!may.contains(role)) {
                    lacking.add(new String[] {role});
                }
            }
            for (String[] roles : lacking) {
                HttpResponse<String> r = call(op, TestTokens.of("contract-" + String.join("-", roles), roles));
                assertEquals(403, r.statusCode(), op + " with roles " + List.of(roles));
                assertProblem(op, r, 403);
            }
        }
    }

    @Test
    void withTheRightRoleNoOperationIs401Or403() {
        for (String op : documentedOperations()) {
            for (String role : allowed().getOrDefault(op, Set.of())) {
                int status = call(op, TestTokens.of("contract-" + role, role)).statusCode();
                assertFalse(status == 401 || status == 403, op + " with role " + role + " answered " + status);
            }
        }
    }

    @Test
    void badTokensAre401() {
        String op = documentedOperations().stream().filter(o -> o.startsWith("GET ")).findFirst().orElseThrow();
        Map<String, String> bad = Map.of(
                "expired", TestTokens.expired(Roles.OPERATOR),
                "wrong issuer", TestTokens.wrongIssuer(Roles.OPERATOR),
                "signed by another key", TestTokens.signedByAnotherKey(Roles.OPERATOR),
                "garbage", "not-a-jwt",
                "unsigned", TestTokens.of("x", Roles.OPERATOR).replaceAll("\\.[^.]*$", "."));
        bad.forEach((what, token) -> {
            HttpResponse<String> r = call(op, token);
            assertEquals(401, r.statusCode(), what);
            assertProblem(what, r, 401);
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), what);
        });
    }

    @Test
    void platformRoutesStayOpenAndTheDocumentDeclaresTheBearerScheme() {
        List<String> open = new ArrayList<>(List.of("/q/health/live", "/q/health/ready", "/q/metrics",
                "/q/openapi", "/q/swagger-ui/"));
        open.addAll(openRoutes());
        for (String path : open) {
            assertEquals(200, send(HttpRequest.newBuilder(uri(path)).GET(), null).statusCode(), path);
            // a bad token on an open route is not looked at (authentication is lazy)
            assertEquals(200, send(HttpRequest.newBuilder(uri(path)).GET(), "not-a-jwt").statusCode(), path + " with a bad token");
        }
        JsonPath doc = openApi();
        assertEquals("http", doc.getString("components.securitySchemes.bearer.type"));
        assertEquals("bearer", doc.getString("components.securitySchemes.bearer.scheme"));
    }

    private static void assertProblem(String op, HttpResponse<String> r, int status) {
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0], op);
        JsonPath body = JsonPath.from(r.body());
        assertEquals(status, body.getInt("status"), op);
        assertEquals("about:blank", body.getString("type"), op);
    }

    protected List<String> documentedOperations() {
        Map<String, Map<String, Object>> paths = openApi().getMap("paths");
        List<String> ops = new ArrayList<>();
        paths.forEach((path, item) -> item.keySet().stream()
                .filter(m -> Set.of("get", "put", "post", "delete", "patch", "head").contains(m))
                .forEach(m -> ops.add(m.toUpperCase() + " " + path)));
        ops.sort(null);
        return ops;
    }

    private JsonPath openApi() {
        return given().auth().none().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    /**
     * Calls one operation, with an empty JSON array as body where it takes one (no route takes an array of nothing as a
     * change, so that a call with the right role leaves the data alone); a stream is closed after its headers.
     */
    private HttpResponse<String> call(String op, String token) {
        String method = op.substring(0, op.indexOf(' '));
        String path = op.substring(op.indexOf(' ') + 1).replaceAll("\\{[^}]+}", PATH_VALUE);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Accept", "*/*");
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("[]"));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(b, token);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String token) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<InputStream> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = r.body()) {
                boolean stream = r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
                body = stream ? "" : new String(in.readAllBytes());
            }
            return new StringResponse(r, body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://localhost:" + RestAssured.port + path);
    }

    /** The answer with its body read as text (or not at all, for a stream). */
    private record StringResponse(HttpResponse<InputStream> r, String body) implements HttpResponse<String> {
        @Override public int statusCode() { return r.statusCode(); }
        @Override public HttpRequest request() { return r.request(); }
        @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        @Override public java.net.http.HttpHeaders headers() { return r.headers(); }
        @Override public URI uri() { return r.uri(); }
        @Override public HttpClient.Version version() { return r.version(); }
        @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return r.sslSession(); }
    }
}
