package io.mythos.loadbalancer.rest;

import io.mythos.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.mythos.common.load.LoadEvent;
import io.mythos.common.load.LoadMapView;
import io.mythos.common.load.PressureRequest;
import io.mythos.common.load.PressureResult;
import io.mythos.common.web.Problem;
import io.mythos.loadbalancer.service.LoadEvents;
import io.mythos.loadbalancer.service.LoadMapService;
import io.mythos.platform.web.SseHeartbeat;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/system/load")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "load map", description = "Assistants' capacity and entropy, codices and their pressure, rituals")
public class LoadResource {

    private final LoadMapService service;
    private final LoadEvents events;
    private final SseHeartbeat heartbeat;

    public LoadResource(LoadMapService service, LoadEvents events, SseHeartbeat heartbeat) {
        this.heartbeat = heartbeat;
        this.service = service;
        this.events = events;
    }

    @RolesAllowed(Roles.REPORTER)
    @POST
    @Path("/pressure")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upsert part or all of the load map",
            description = "Entries replace stored ones with the same id; all or nothing, in one transaction.")
    @APIResponse(responseCode = "200", description = "Stored; the counts upserted and the map's metrics after",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PressureResult.class)))
    @APIResponse(responseCode = "400", description = "Invalid body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A codex or ritual names an assistant that is not in the map",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<PressureResult> pressure(@NotNull @Valid PressureRequest body) {
        return service.upsert(body);
    }

    @GET
    @Operation(summary = "The live load map: assistants, groups, the 20 hottest codices and the metrics")
    @APIResponse(responseCode = "200", description = "The map",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LoadMapView.class)))
    @APIResponse(responseCode = "404", description = "No assistant in that group",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<LoadMapView> map(@QueryParam("group") @Size(min = 1, max = 150) String group) {
        return service.view(group);
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-sent events: one event carrying the map's metrics each time the map changes",
            description = "A comment line (': heartbeat') every mythos.http.sse-heartbeat-interval (15 s) keeps the "
                    + "connection alive; clients ignore it.")
    public Multi<LoadEvent> stream(@Context HttpServerResponse response) {
        return heartbeat.attach(response, events.stream());
    }

    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("/assistants/{assistant_id}")
    @Operation(summary = "Remove an assistant that owns no codex and no ritual")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "Not in the map",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "It still owns codices or rituals",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Void> deleteAssistant(@PathParam("assistant_id") @Size(max = 150) String id) {
        return service.deleteAssistant(id);
    }

    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("/codices/{codex_id}")
    @Operation(summary = "Remove a codex")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "Not in the map",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Void> deleteCodex(@PathParam("codex_id") @Size(max = 150) String id) {
        return service.deleteCodex(id);
    }

    @RolesAllowed(Roles.OPERATOR)
    @DELETE
    @Path("/rituals/{ritual_id}")
    @Operation(summary = "Remove a ritual")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "Not in the map",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Void> deleteRitual(@PathParam("ritual_id") @Size(max = 150) String id) {
        return service.deleteRitual(id);
    }
}
