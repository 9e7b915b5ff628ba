package io.mythos.platform.web;

import io.mythos.common.healing.SignalKind;
import io.mythos.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * A test-only resource whose body has every kind of field the real APIs use (enums, doubles, maps,
 * lists), and routes that fail the ways a service can fail, so that the platform's error mapping is
 * proven on each error class without any service.
 */
@Path("/test/probe")
@RolesAllowed(Roles.VIEWER) // the reads; the POST needs a reporter, so that the access contract sees both kinds
public class ErrorContractProbe {

    public record Body(@NotNull SignalKind kind, @NotNull @PositiveOrZero Double pressure,
                       Map<String, @NotNull Double> beliefs, List<@Valid Item> items, Integer count, Boolean flag,
                       java.time.OffsetDateTime at) {
    }

    public record Item(@NotNull String name) {
    }

    @RolesAllowed(Roles.REPORTER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Body echo(@NotNull @Valid Body body) {
        if ("ghost".equals(body.items() == null || body.items().isEmpty() ? null : body.items().get(0).name())) {
            throw ProblemException.unknownReference("No assistant 'ghost'");
        }
        return body;
    }

    @GET
    @Path("/items/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> item(@PathParam("id") String id, @QueryParam("limit") @Min(1) @Max(500) Integer limit,
                                    @QueryParam("kind") String kind) {
        WireEnum.parse(SignalKind.class, kind, "kind");
        if (id.equals("held")) {
            throw ProblemException.conflict("Item 'held' is held by another worker");
        }
        throw ProblemException.notFound("No item '" + id + "'");
    }

    @GET
    @Path("/ok")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> ok() {
        return Map.of("status", "ok");
    }

    @GET
    @Path("/bug")
    public String bug() {
        throw new IllegalStateException("internal detail: jdbc://secret-host:5432");
    }

    @GET
    @Path("/database-down")
    public Uni<String> databaseDown() {
        return Uni.createFrom().failure(new java.net.ConnectException("Connection refused: db-host/10.0.0.5:5432"));
    }
}
