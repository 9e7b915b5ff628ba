package io.mythos.healing.rest;

import io.mythos.common.healing.StormRelease;
import io.mythos.common.web.Problem;
import io.mythos.healing.repository.StormRepository;
import io.mythos.healing.service.StormService;
import io.mythos.platform.security.Caller;
import io.mythos.platform.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/system/health/storm")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "storm", description = "The storm guard: a group's new repairs are held while much of it is unhealthy at once")
public class StormResource {

    private final StormService service;

    public StormResource(StormService service) {
        this.service = service;
    }

    /** The groups in a storm. */
    public record StormList(List<StormView> storms, long total) {
    }

    public record StormView(String group, java.time.OffsetDateTime startedAt,
                            @Schema(description = "the share of the group's assistants with an active event when the storm began")
                            double fraction,
                            @Schema(description = "actions held now") long held) {
    }

    @GET
    @Operation(summary = "The groups in a storm, oldest first")
    @APIResponse(responseCode = "200", description = "The storms",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StormList.class)))
    public Uni<StormList> list() {
        return service.list().map(storms -> new StormList(storms.stream()
                .map((StormRepository.Storm s) -> new StormView(s.group(), s.startedAt(), s.fraction(), s.held())).toList(),
                storms.size()));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("/{group}/release")
    @Operation(summary = "Release a group's held actions now",
            description = "Ends the group's storm and makes its held actions pending, whatever its figures. Recorded in the audit trail.")
    @APIResponse(responseCode = "200", description = "How many actions were released",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StormRelease.class)))
    @APIResponse(responseCode = "400", description = "Group over 150 characters",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "The group is not in a storm and holds no action",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<StormRelease> release(@PathParam("group") @Size(min = 1, max = 150) String group, @Context SecurityContext security) {
        return service.release(group, Caller.subject(security));
    }
}
