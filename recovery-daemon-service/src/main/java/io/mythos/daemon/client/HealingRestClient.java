package io.mythos.daemon.client;

import io.mythos.platform.security.ServiceTokenFilter;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import io.mythos.common.healing.SignalRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The healing service's signal intake ({@code quarkus.rest-client.healing.url}); wrapped by {@link HealingClient}. */
@RegisterProvider(ServiceTokenFilter.class) // a short-lived service token on every call
@RegisterRestClient(configKey = "healing")
@Path("/system/health/signals")
interface HealingRestClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> signal(SignalRequest signal);
}
