package io.mythos.healing.rest;

import io.mythos.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.mythos.common.healing.Rule;
import io.mythos.common.healing.RuleList;
import io.mythos.common.healing.RuleRequest;
import io.mythos.common.web.Problem;
import io.mythos.healing.service.RuleService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import io.mythos.platform.security.Caller;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/system/health/rules")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rules", description = "When each kind of signal fires a self-healing protocol")
public class RuleResource {

    private final RuleService service;

    public RuleResource(RuleService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "The rule of every signal kind")
    @APIResponse(responseCode = "200", description = "The rules",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RuleList.class)))
    public Uni<RuleList> list() {
        return service.list();
    }

    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Path("/{kind}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a rule", description = "Persisted; it then wins over application.properties, also after restarts. "
            + "Absent verify_seconds and max_ineffective take their configured defaults. Recorded in the audit trail.")
    @APIResponse(responseCode = "200", description = "The rule as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Rule.class)))
    @APIResponse(responseCode = "400", description = "Invalid rule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such signal kind",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Rule> put(@PathParam("kind") String kind, @NotNull @Valid RuleRequest body, @Context SecurityContext security) {
        return service.put(kind, body, Caller.subject(security));
    }
}
