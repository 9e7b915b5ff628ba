package io.mythos.loadbalancer.rest;

import io.mythos.platform.security.Caller;
import io.mythos.platform.security.Roles;
import io.mythos.platform.web.ProblemException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.annotation.security.RolesAllowed;
import io.mythos.common.load.ClaimRequest;
import io.mythos.common.load.Task;
import io.mythos.common.load.TaskList;
import io.mythos.common.load.TaskOutcome;
import io.mythos.common.load.TaskStatus;
import io.mythos.common.web.Problem;
import io.mythos.platform.web.WireEnum;
import io.mythos.loadbalancer.service.TaskService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/system/load/tasks")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "decentralization tasks", description = "The queue of codex split / replicate tasks")
public class TaskResource {

    private final TaskService service;

    public TaskResource(TaskService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Tasks, oldest first, optionally of one status")
    @APIResponse(responseCode = "200", description = "One page and the total",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TaskList.class)))
    @APIResponse(responseCode = "400", description = "Unknown status or bad paging",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<TaskList> list(@QueryParam("status") @Schema(enumeration = {"pending", "claimed", "done", "failed"}) String status,
                              @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                              @QueryParam("offset") @DefaultValue("0") @Min(0) int offset) {
        return service.page(WireEnum.parse(TaskStatus.class, status, "status"), limit, offset);
    }

    @RolesAllowed(Roles.WORKER)
    @POST
    @Path("/claim")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Claim the oldest pending task for a worker, under a lease")
    @APIResponse(responseCode = "200", description = "The claimed task",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Task.class)))
    @APIResponse(responseCode = "204", description = "No task is pending")
    @APIResponse(responseCode = "403", description = "A worker token claiming under another name than its subject",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> claim(@NotNull @Valid ClaimRequest body, @Context SecurityContext security) {
        return service.claim(worker(security, body.worker()))
                .map(t -> t == null ? Response.noContent().build() : Response.ok(t).build());
    }

    @RolesAllowed(Roles.WORKER)
    @POST
    @Path("/{task_id}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a claimed task done")
    @APIResponse(responseCode = "200", description = "The task, now done",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Task.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not claimed, or claimed by another worker",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Task> complete(@PathParam("task_id") UUID taskId, @Valid TaskOutcome body, @Context SecurityContext security) {
        return service.finish(taskId, TaskStatus.DONE, finisher(security, body), body == null ? null : body.reason());
    }

    @RolesAllowed(Roles.WORKER)
    @POST
    @Path("/{task_id}/fail")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a claimed task failed")
    @APIResponse(responseCode = "200", description = "The task, now failed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Task.class)))
    @APIResponse(responseCode = "404", description = "No such task",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Not claimed, or claimed by another worker",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Task> fail(@PathParam("task_id") UUID taskId, @Valid TaskOutcome body, @Context SecurityContext security) {
        return service.finish(taskId, TaskStatus.FAILED, finisher(security, body), body == null ? null : body.reason());
    }

    /**
     * A worker works under its own name, the token's subject: it claims as itself (another name in the body is a
     * 403) and can complete or fail only a task it claimed (else the 409 of a task claimed by another worker). An
     * operator may do everything: it claims under the body's name and finishes any claimed task (the body's
     * worker, when given, must still be the claimant), e.g. to clear a task whose worker is gone.
     */
    private static String worker(SecurityContext security, String named) {
        if (security.isUserInRole(Roles.OPERATOR)) {
            return named;
        }
        String subject = Caller.subject(security);
        if (named != null && !named.equals(subject)) {
            throw new ProblemException(403, "Forbidden", "A worker claims and finishes tasks under its own name, "
                    + "the subject of its token (" + subject + "), not as " + named, null);
        }
        return subject;
    }

    private static String finisher(SecurityContext security, TaskOutcome body) {
        return worker(security, body == null ? null : body.worker());
    }
}
