package io.mythos.healing.rest;

import io.mythos.common.healing.AuditList;
import io.mythos.common.healing.HealingStats;
import io.mythos.common.web.Problem;
import io.mythos.healing.service.SafetyService;
import io.mythos.platform.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/system/health")
@RolesAllowed(Roles.VIEWER)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "safety", description = "How well the repairs work, and who changed what")
public class SafetyResource {

    private final SafetyService service;

    public SafetyResource(SafetyService service) {
        this.service = service;
    }

    @GET
    @Path("/stats")
    @Operation(summary = "Events per status and trigger over a window, and each trigger's share of effective repairs",
            description = "The events created within the last window_seconds (default 86400, at most 30 days).")
    @APIResponse(responseCode = "200", description = "The figures",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HealingStats.class)))
    @APIResponse(responseCode = "400", description = "Invalid window",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<HealingStats> stats(@QueryParam("window_seconds") @DefaultValue("86400") @Min(1) @Max(2592000) long windowSeconds) {
        return service.stats(windowSeconds);
    }

    @GET
    @Path("/audit")
    @Operation(summary = "The audit trail of operator changes, newest first",
            description = "Rules, silences, storm releases, resolved events, assistant registrations and deletes, each with "
                    + "the subject of the token that made it.")
    @APIResponse(responseCode = "200", description = "A page of entries and the total matching",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditList.class)))
    @APIResponse(responseCode = "400", description = "Invalid filter or paging",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AuditList> audit(@QueryParam("action") @Size(max = 64) String action,
                                @QueryParam("subject") @Size(max = 300) String subject,
                                @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return service.audit(action, subject, limit, offset);
    }
}
