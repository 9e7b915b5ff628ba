package io.mythos.platform.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The console (DESIGN.md "Console"), written once for the three services: the page shell every service's
 * {@code GET /} answers (the shared look and script library are static files of this module, under
 * {@code /console/}; the chart library comes from its Maven dependency through the web-dependency locator),
 * and the content negotiation of the service's view route, which answers the same page to a browser that
 * prefers HTML and leaves every other request (JSON, with its token check) to the route's resource.
 * The page and its static files are open; every datum the page shows is fetched with the caller's token.
 */
@Singleton
public class ConsolePages {

    private static final String SHELL = "io/mythos/platform/web/console.html";

    private final ObjectMapper json;
    private final Optional<String> viewRoute;
    private final Map<String, String> links;
    private final String shell;

    ConsolePages(ObjectMapper json,
                 @ConfigProperty(name = "mythos.http.console.view-route") Optional<String> viewRoute,
                 @ConfigProperty(name = "mythos.http.console.links.healing") String healing,
                 @ConfigProperty(name = "mythos.http.console.links.load-balancer") String loadBalancer,
                 @ConfigProperty(name = "mythos.http.console.links.recovery-daemon") String daemon) {
        this.json = json;
        this.viewRoute = viewRoute.filter(p -> p.startsWith("/") && p.length() > 1);
        Map<String, String> l = new LinkedHashMap<>();
        l.put("healing", trimSlash(healing));
        l.put("load-balancer", trimSlash(loadBalancer));
        l.put("recovery-daemon", trimSlash(daemon));
        this.links = Map.copyOf(l);
        this.shell = read(SHELL);
    }

    /** The page of one service: open (no token needed), never cached, the same for every caller. */
    public Response render(ConsolePage page) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("service", page.service());
        config.put("title", page.title());
        config.put("view_route", viewRoute.orElse(null));
        config.put("links", links);
        config.put("settings", page.settings());
        String html = shell
                .replace("{{title}}", escapeHtml(page.title()))
                .replace("{{script}}", escapeHtml(page.script()))
                .replace("{{config}}", scriptSafeJson(config));
        return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store")
                .header("Vary", "Accept")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", contentSecurityPolicy())
                .build();
    }

    /**
     * The view route answers the page to a browser: a GET whose {@code Accept} prefers {@code text/html} to JSON
     * is routed to {@code /} (the service's page); anything else goes on to the route's resource as before.
     */
    void install(@Observes Router router) {
        viewRoute.ifPresent(path -> router.route(HttpMethod.GET, path).order(Integer.MIN_VALUE + 1).handler(ctx -> {
            ctx.response().headers().add(HttpHeaders.VARY, "Accept");
            if (AcceptPreference.prefersHtml(ctx.request().getHeader(HttpHeaders.ACCEPT))) {
                ctx.reroute("/");
            } else {
                ctx.next();
            }
        }));
    }

    /**
     * Scripts and styles from this origin only; data from this origin, plus the peers' origins, which the nav
     * probes (an opaque no-cors request: up or down, nothing read) to show a service that is down.
     */
    private String contentSecurityPolicy() {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        for (String url : links.values()) {
            origin(url).ifPresent(connect::add);
        }
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                + "connect-src " + String.join(" ", connect) + "; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    }

    private static Optional<String> origin(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String scriptSafeJson(Object value) {
        try {
            // inside <script type="application/json">: no "</script>" or "<!--" can end or change the block
            return json.writeValueAsString(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("console configuration is not serializable", e);
        }
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static String trimSlash(String url) {
        String u = url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static String read(String resource) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
