package io.mythos.healing.client;

import io.mythos.platform.security.ServiceTokenFilter;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import io.mythos.common.load.RebalanceRequest;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The load balancer's rebalance route; the URL is {@code quarkus.rest-client.load-balancer.url}. */
@RegisterProvider(ServiceTokenFilter.class) // a short-lived service token on every call
@RegisterRestClient(configKey = "load-balancer")
@Path("/system/load")
interface LoadBalancerRestClient {

    /** Answers the raw response, whatever its status: {@link PeerClient} decides what each status means. */
    @POST
    @Path("/rebalance")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> rebalance(@HeaderParam("Idempotency-Key") String idempotencyKey, RebalanceRequest request);
}
