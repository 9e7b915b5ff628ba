package io.mythos.healing.client;

import io.mythos.platform.security.ServiceTokenFilter;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The recovery daemon's recover route; the URL is {@code quarkus.rest-client.recovery-daemon.url}. */
@RegisterProvider(ServiceTokenFilter.class) // a short-lived service token on every call
@RegisterRestClient(configKey = "recovery-daemon")
@Path("/system/daemon")
interface RecoveryDaemonRestClient {

    /** The route takes no body; an empty JSON object is sent so that every proxy sees a well-formed POST. */
    @POST
    @Path("/zones/{zone}/recover")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> recover(@HeaderParam("Idempotency-Key") String idempotencyKey, @PathParam("zone") String zone,
                          Map<String, Object> empty);
}
