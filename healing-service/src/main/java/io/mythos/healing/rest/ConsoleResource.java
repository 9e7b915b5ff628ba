package io.mythos.healing.rest;

import io.mythos.healing.config.HealingConfig;
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
 * route /system/health/recovery answers the same page to a browser (platform ConsolePages).
 */
@Path("/")
public class ConsoleResource {

    private final ConsolePages pages;
    private final ConsolePage page;

    public ConsoleResource(ConsolePages pages, HealingConfig config) {
        this.pages = pages;
        this.page = new ConsolePage("healing", "Healing events", "/console/healing.js", Map.of(
                "max_concurrent_repairs", config.repair().maxConcurrentRepairs(),
                "dry_run", config.repair().dryRun()));
    }

    @GET
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page() {
        return pages.render(page);
    }
}
