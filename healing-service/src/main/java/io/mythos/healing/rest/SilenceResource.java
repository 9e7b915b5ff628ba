package io.mythos.healing.rest;

import io.mythos.common.healing.Silence;
import io.mythos.common.healing.SilenceList;
import io.mythos.common.healing.SilenceRequest;
import io.mythos.common.web.Problem;
import io.mythos.healing.service.SilenceService;
import io.mythos.platform.security.Caller;
import io.mythos.platform.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/system/health/silences")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "silences", description = "Maintenance windows: matching firings are stored and counted, and repair nothing")
public class SilenceResource {

    private final SilenceService service;

    public SilenceResource(SilenceService service) {
        this.service = service;
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a silence",
            description = "A firing that matches every given matcher while the silence is in force opens a silenced event "
                    + "without repair actions (its signals are stored and counted as usual). Recorded in the audit trail.")
    @APIResponse(responseCode = "201", description = "Stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Silence.class)))
    @APIResponse(responseCode = "400", description = "Invalid silence (no matcher, ends_at not after starts_at or in the past, ...)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(@NotNull @Valid SilenceRequest body, UriInfo uri, @Context SecurityContext security) {
        return service.create(body, Caller.subject(security))
                .map(s -> Response.created(uri.getAbsolutePathBuilder().path(s.id().toString()).build()).entity(s).build());
    }

    @GET
    @Operation(summary = "The silences in force and to come, soonest ending first")
    @APIResponse(responseCode = "200", description = "A page of silences and their total",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SilenceList.class)))
    @APIResponse(responseCode = "400", description = "Invalid paging",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SilenceList> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                 @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return service.list(limit, offset);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One silence in force or to come")
    @APIResponse(responseCode = "200", description = "The silence",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Silence.class)))
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such silence, or it has ended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Silence> get(@PathParam("id") String id) {
        return service.get(id);
    }

    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("/{id}")
    @Operation(summary = "End a silence now", description = "Its open silenced events end with it. Recorded in the audit trail.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "The id is not a UUID",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such silence, or it has ended",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id, @Context SecurityContext security) {
        return service.delete(id, Caller.subject(security)).map(v -> RestResponse.noContent());
    }
}
