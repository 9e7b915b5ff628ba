package io.mythos.daemon.rest;

import io.mythos.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.mythos.common.daemon.BeliefReport;
import io.mythos.common.daemon.BeliefReportAck;
import io.mythos.common.daemon.CycleSummary;
import io.mythos.common.daemon.DaemonOverview;
import io.mythos.common.daemon.RecoveryEventList;
import io.mythos.common.daemon.RecoveryRecord;
import io.mythos.common.daemon.ZoneConverged;
import io.mythos.common.daemon.ZoneDetail;
import io.mythos.common.web.Problem;
import io.mythos.daemon.service.BeliefService;
import io.mythos.daemon.service.CycleService;
import io.mythos.daemon.service.DaemonQueryService;
import io.mythos.daemon.service.ZoneRecoveryService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.mythos.common.web.Limits;
import io.mythos.platform.idempotency.IdempotentAnswer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/system/daemon")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "daemon", description = "Belief zones, their recoveries and their convergence")
public class DaemonResource {

    private final BeliefService beliefs;
    private final ZoneRecoveryService recovery;
    private final DaemonQueryService queries;
    private final CycleService cycles;

    public DaemonResource(BeliefService beliefs, ZoneRecoveryService recovery, DaemonQueryService queries,
                          CycleService cycles) {
        this.beliefs = beliefs;
        this.recovery = recovery;
        this.queries = queries;
        this.cycles = cycles;
    }

    @RolesAllowed(Roles.REPORTER)
    @POST
    @Path("/zones/{zone}/beliefs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report a replica's beliefs", description = "Replaces the replica's beliefs; its version grows.")
    @APIResponse(responseCode = "200", description = "Stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BeliefReportAck.class)))
    @APIResponse(responseCode = "400", description = "Invalid body or zone",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<BeliefReportAck> report(@PathParam("zone") @Size(min = 1, max = 150) String zone,
                                       @NotNull @Valid BeliefReport body) {
        return beliefs.report(zone, body);
    }

    @RolesAllowed(Roles.SERVICE)
    @POST
    @Path("/zones/{zone}/recover")
    @Operation(summary = "Recover one zone now",
            description = "Writes one recovery record, or answers that the zone is converged. Requests for one zone "
                    + "take turns; one whose turn comes after a recovery of the zone that started after it arrived gets "
                    + "that recovery's answer. A repeated "
                    + "Idempotency-Key answers the first response (Idempotent-Replayed: true) and recovers nothing more; "
                    + "the key on another zone is a 422; a repeat while the first still runs waits up to 3 s, then 409.")
    @APIResponse(responseCode = "200", description = "The record written, or {network_zone, status: converged, divergence}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {RecoveryRecord.class, ZoneConverged.class})))
    @APIResponse(responseCode = "404", description = "No replica ever reported in this zone",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The first request with this Idempotency-Key is still running, or "
            + "other recoveries of the zone (requests before this one, a cycle, another instance) held it for longer than "
            + "mythos.daemon.recover-lock-timeout; retry (Retry-After)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used for another zone (type ending idempotency-key-reused)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> recover(@PathParam("zone") @Size(min = 1, max = 150) String zone,
                                 @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200)
                                 @Pattern(regexp = Limits.IDEMPOTENCY_KEY, message = "must be printable ASCII characters")
                                 String idempotencyKey) {
        return recovery.recoverZone(zone, idempotencyKey).map(IdempotentAnswer::toResponse);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/cycle")
    @Operation(summary = "Run one daemon cycle now",
            description = "What the scheduled job does every mythos.daemon.interval: recover each zone that is not "
                    + "converged (skipping those another instance holds), then send pending escalations.")
    @APIResponse(responseCode = "200", description = "What the cycle did",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CycleSummary.class)))
    public Uni<CycleSummary> cycle() {
        return cycles.runOnce();
    }

    @GET
    @Operation(summary = "Every zone with the last 20 points of its path, and the last 20 records")
    @APIResponse(responseCode = "200", description = "The overview",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DaemonOverview.class)))
    public Uni<DaemonOverview> overview() {
        return queries.overview();
    }

    @GET
    @Path("/zones/{zone}")
    @Operation(summary = "One zone: consensus, replicas and its whole belief path")
    @APIResponse(responseCode = "200", description = "The zone",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ZoneDetail.class)))
    @APIResponse(responseCode = "404", description = "Unknown zone",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ZoneDetail> zone(@PathParam("zone") @Size(min = 1, max = 150) String zone) {
        return queries.zone(zone);
    }

    @GET
    @Path("/zones/{zone}/events")
    @Operation(summary = "A zone's recovery records, newest first")
    @APIResponse(responseCode = "200", description = "A page of records and the total",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecoveryEventList.class)))
    @APIResponse(responseCode = "400", description = "Invalid paging",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown zone",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RecoveryEventList> events(@PathParam("zone") @Size(min = 1, max = 150) String zone,
                                         @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                         @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return queries.events(zone, limit, offset);
    }
}
