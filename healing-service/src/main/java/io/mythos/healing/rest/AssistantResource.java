package io.mythos.healing.rest;

import io.mythos.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.mythos.common.healing.Assistant;
import io.mythos.common.healing.AssistantList;
import io.mythos.common.healing.AssistantRequest;
import io.mythos.common.web.Problem;
import io.mythos.healing.service.AssistantService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import io.mythos.platform.security.Caller;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/assistants")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "assistants", description = "The registry of assistants that healing events reference")
public class AssistantResource {

    private final AssistantService service;

    public AssistantResource(AssistantService service) {
        this.service = service;
    }

    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Path("/{assistant_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register or update an assistant")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Assistant.class)))
    @APIResponse(responseCode = "200", description = "Updated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Assistant.class)))
    @APIResponse(responseCode = "400", description = "Invalid body or id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> put(@PathParam("assistant_id") @Size(min = 1, max = 150) String assistantId,
                             @NotNull @Valid AssistantRequest body, UriInfo uri, @Context SecurityContext security) {
        return service.put(assistantId, body, Caller.subject(security)).map(u -> u.created()
                ? Response.created(uri.getAbsolutePath()).entity(u.assistant()).build()
                : Response.ok(u.assistant()).build());
    }

    @GET
    @Path("/{assistant_id}")
    @Operation(summary = "One assistant")
    @APIResponse(responseCode = "200", description = "The assistant",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Assistant.class)))
    @APIResponse(responseCode = "404", description = "No such assistant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Assistant> get(@PathParam("assistant_id") String assistantId) {
        return service.get(assistantId);
    }

    @GET
    @Operation(summary = "List assistants, ordered by id", description = "Optionally narrowed to a group or a zone.")
    @APIResponse(responseCode = "200", description = "A page of assistants and the total matching",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AssistantList.class)))
    @APIResponse(responseCode = "400", description = "Invalid paging",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<AssistantList> list(@QueryParam("group") @Size(max = 150) String group,
                                   @QueryParam("zone") @Size(max = 150) String zone,
                                   @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                   @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return service.list(group, zone, limit, offset);
    }

    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("/{assistant_id}")
    @Operation(summary = "Delete an assistant and, with it, its healing events")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such assistant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RestResponse<Void>> delete(@PathParam("assistant_id") String assistantId, @Context SecurityContext security) {
        return service.delete(assistantId, Caller.subject(security)).map(v -> RestResponse.noContent());
    }
}
