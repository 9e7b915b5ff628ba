package io.mythos.healing.rest;

import io.mythos.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.mythos.common.healing.HealingEvent;
import io.mythos.common.healing.HealingEventList;
import io.mythos.common.web.Problem;
import io.mythos.healing.service.HealingEventService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.mythos.platform.security.Caller;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/system/health/recovery")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "recovery", description = "Healing events and their repair actions")
public class RecoveryResource {

    private final HealingEventService service;

    public RecoveryResource(HealingEventService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Healing events, newest first", description = "The active ones unless status says otherwise.")
    @APIResponse(responseCode = "200", description = "A page of events and the total matching",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HealingEventList.class)))
    @APIResponse(responseCode = "400", description = "Invalid filter or paging",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<HealingEventList> list(
            @QueryParam("status") @DefaultValue("active")
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"active", "resolved", "failed", "escalated", "silenced", "all"}))
            String status,
            @QueryParam("node_id") @Size(max = 150) String nodeId,
            @QueryParam("assistant_id") @Size(max = 150) String assistantId,
            @QueryParam("triggered_by")
            @Parameter(schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"entropy_spike", "ritual_failure", "codex_conflict", "symbolic_error"}))
            String triggeredBy,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return service.list(status, nodeId, assistantId, triggeredBy, limit, offset);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One healing event with its repair actions")
    @APIResponse(responseCode = "200", description = "The event",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HealingEvent.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such event",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<HealingEvent> get(@PathParam("id") String id) {
        return service.get(id);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{id}/resolve")
    @Operation(summary = "Resolve an escalated event",
            description = "The flapping guard escalates a node whose repairs were ineffective max_ineffective times; its "
                    + "event has no actions and stays until an operator resolves it here. Recorded in the audit trail.")
    @APIResponse(responseCode = "200", description = "The event, now resolved",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HealingEvent.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such event",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The event is not escalated",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<HealingEvent> resolve(@PathParam("id") String id, @Context SecurityContext security) {
        return service.resolve(id, Caller.subject(security));
    }
}
