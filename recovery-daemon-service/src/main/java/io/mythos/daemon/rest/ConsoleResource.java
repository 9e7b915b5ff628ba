package io.mythos.daemon.rest;

import io.mythos.daemon.config.DaemonConfig;
import io.mythos.platform.web.ConsolePage;
import io.mythos.platform.web.ConsolePages;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console page of this service (DESIGN.md "Console", README "Console"): open without a token, like the
 * static files it loads; every datum on it is fetched from the routes with the reader's own token. The view
 * route /system/daemon answers the same page to a browser (platform ConsolePages).
 */
@Path("/")
public class ConsoleResource {

    private final ConsolePages pages;
    private final ConsolePage page;

    public ConsoleResource(ConsolePages pages, DaemonConfig config) {
        this.pages = pages;
        this.page = new ConsolePage("recovery-daemon", "Belief zones", "/console/recovery-daemon.js", Map.of(
                "divergence_threshold", config.divergenceThreshold(),
                "epsilon", config.epsilon()));
    }

    @GET
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page() {
        return pages.render(page);
    }
}
