package io.mythos.daemon.client;

import io.mythos.common.healing.SignalRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The resilient call to the healing service: each attempt times out, transient failures are retried a
 * few times, and a refusal (4xx) is not retried. What still fails stays pending in the outbox and is
 * retried on a later cycle (EscalationService). The limits can be tuned with MicroProfile Fault
 * Tolerance keys, e.g. {@code io.mythos.daemon.client.HealingClient/signal/Timeout/value}.
 */
@ApplicationScoped
public class HealingClient {

    private final HealingRestClient client;

    public HealingClient(@RestClient HealingRestClient client) {
        this.client = client;
    }

    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = RejectedSignalException.class)
    public Uni<Void> signal(SignalRequest signal) {
        return client.signal(signal)
                .onFailure(WebApplicationException.class).transform(HealingClient::refused)
                .invoke(response -> {
                    try (response) {
                        check(response);
                    }
                })
                .replaceWithVoid();
    }

    private static Throwable refused(Throwable t) {
        Response r = ((WebApplicationException) t).getResponse();
        return r != null && rejects(r.getStatus()) ? new RejectedSignalException(r.getStatus()) : t;
    }

    private static void check(Response response) {
        int status = response.getStatus();
        if (status / 100 == 2) {
            return;
        }
        if (rejects(status)) {
            throw new RejectedSignalException(status);
        }
        throw new IllegalStateException("the healing service answered HTTP " + status);
    }

    /** A client error other than a timeout or a rate limit: the same signal would be refused again. */
    private static boolean rejects(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }
}
