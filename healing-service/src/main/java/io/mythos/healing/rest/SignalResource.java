package io.mythos.healing.rest;

import io.mythos.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.mythos.common.healing.SignalRequest;
import io.mythos.common.healing.SignalResponse;
import io.mythos.common.web.Problem;
import io.mythos.platform.web.ProblemException;
import io.mythos.healing.service.SignalService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/system/health/signals")
@RolesAllowed(Roles.VIEWER) // every read; the writes below name their roles (DESIGN.md "Access control")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "signals", description = "Health signals that fire self-healing protocols")
public class SignalResource {

    private final SignalService service;
    private final ObjectReader one;
    private final ObjectReader many;
    private final ObjectMapper mapper;

    public SignalResource(SignalService service, ObjectMapper mapper) {
        this.service = service;
        this.mapper = mapper;
        this.one = mapper.readerFor(SignalRequest.class);
        this.many = mapper.readerForListOf(SignalRequest.class);
    }

    @RolesAllowed({Roles.REPORTER, Roles.SERVICE})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report one signal or an array of up to 1000",
            description = "202 once every signal of the request is stored; the repairs of the events it opens run afterwards.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {SignalRequest.class, SignalRequest[].class}),
            examples = @ExampleObject(name = "entropy spike",
                    value = "{\"node_id\": \"node-7\", \"assistant_id\": \"a1\", \"kind\": \"entropy_spike\", \"value\": 0.92}")))
    @APIResponse(responseCode = "202", description = "Stored; the events fired or counted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignalResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid signal; nothing stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "An assistant is not registered; nothing stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ResponseStatus(202) // a typed answer: its JSON writer is chosen at build time, not per request
    public Uni<SignalResponse> post(byte[] body) throws IOException {
        // read once, straight into the records: the first token says whether it is one signal or an array
        char first = firstToken(body);
        if (first == 0) {
            throw ProblemException.invalid("body", "must not be null");
        }
        if (first != '{' && first != '[') {
            mapper.readTree(body); // a malformed body is reported as such; a well-formed scalar is the wrong shape
            throw ProblemException.invalid("body", "must be a signal object or an array of them");
        }
        boolean array = first == '[';
        List<SignalRequest> signals = array ? many.readValue(body) : List.of(one.<SignalRequest>readValue(body));
        return service.accept(signals, array);
    }

    private static char firstToken(byte[] body) {
        if (body != null) {
            for (byte b : body) {
                if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                    return (char) b;
                }
            }
        }
        return 0;
    }
}
