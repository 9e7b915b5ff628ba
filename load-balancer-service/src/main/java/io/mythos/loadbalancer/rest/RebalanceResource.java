package io.mythos.loadbalancer.rest;

import io.mythos.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.mythos.common.load.PlanList;
import io.mythos.common.load.RebalancePlan;
import io.mythos.common.load.RebalanceRequest;
import io.mythos.common.web.Problem;
import io.mythos.loadbalancer.service.RebalanceService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.mythos.common.web.Limits;
import io.mythos.platform.idempotency.IdempotentAnswer;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;

@Path("/system/load")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rebalance", description = "Rebalance plans: codex redistribution, decentralization tasks, ritual spread")
public class RebalanceResource {

    private final RebalanceService service;

    public RebalanceResource(RebalanceService service) {
        this.service = service;
    }

    @RolesAllowed(Roles.SERVICE)
    @POST
    @Path("/rebalance")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Plan a rebalance of a group, of one assistant's group, or of the whole map, and apply it",
            description = "An empty body or {} plans the whole map. Applied in one transaction unless dry_run. "
                    + "A repeated Idempotency-Key with the same request answers the first plan (Idempotent-Replayed: true) "
                    + "and applies nothing again; the key with another request is a 422; a repeat while the first "
                    + "still runs waits up to 3 s, then 409 with Retry-After.")
    @APIResponse(responseCode = "200", description = "The plan (also when applied, and for a repeated key)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RebalancePlan.class)))
    @APIResponse(responseCode = "400", description = "Invalid body or header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "The group or assistant is not in the map",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The first request with this Idempotency-Key is still running; retry (Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for a different request (type ending idempotency-key-reused)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> rebalance(@Valid RebalanceRequest body,
                                   @RestHeader("Idempotency-Key") @Size(min = 1, max = 200)
                                   @Pattern(regexp = Limits.IDEMPOTENCY_KEY, message = "must be printable ASCII characters")
                                   String idempotencyKey) {
        return service.rebalance(body, idempotencyKey).map(IdempotentAnswer::toResponse);
    }

    @GET
    @Path("/plans/{plan_id}")
    @Operation(summary = "One stored plan")
    @APIResponse(responseCode = "200", description = "The plan",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RebalancePlan.class)))
    @APIResponse(responseCode = "404", description = "No such plan",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> plan(@PathParam("plan_id") UUID planId) {
        return service.find(planId).map(text -> Response.ok(text, MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Path("/plans")
    @Operation(summary = "Stored plans, newest first, as summaries",
            description = "Each plan without its three lists, which are counted (counts); the whole plan is at /plans/{plan_id}.")
    @APIResponse(responseCode = "200", description = "One page of plan summaries and the total",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PlanList.class)))
    public Uni<PlanList> plans(@QueryParam("limit") @DefaultValue("20") @Min(1) @Max(500) int limit,
                               @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return service.page(limit, offset);
    }
}
