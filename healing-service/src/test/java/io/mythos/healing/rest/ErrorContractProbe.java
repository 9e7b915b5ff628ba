package io.mythos.healing.rest;

import io.mythos.common.healing.SignalKind;
import io.mythos.common.web.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * A test-only route whose body has every kind of field the real APIs use (enums, doubles, maps,
 * lists), so that the shared error mapping of common-model is proven on each error class.
 */
@Path("/test/probe")
public class ErrorContractProbe {

    public record Body(@NotNull SignalKind kind, @NotNull @PositiveOrZero Double pressure,
                       Map<String, @NotNull Double> beliefs, List<@Valid Item> items, Integer count, Boolean flag,
                       java.time.OffsetDateTime at) {
    }

    public record Item(@NotNull String name) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Body echo(@NotNull @Valid Body body) {
        if ("ghost".equals(body.items() == null || body.items().isEmpty() ? null : body.items().get(0).name())) {
            throw ProblemException.unknownReference("No assistant 'ghost'");
        }
        return body;
    }
}
