package io.mythos.healing.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mythos.common.healing.ActionStatus;
import io.mythos.common.load.RebalanceRequest;
import io.mythos.healing.repository.ActionRepository.Claimed;
import io.mythos.healing.repository.ActionRepository.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Carries out one repair action over REST and says what came of it. Each call carries the action's
 * id as its {@code Idempotency-Key}, so that a retry after a lost answer is applied once by the peer.
 * Timeouts are the REST clients' ({@code quarkus.rest-client.*.read-timeout}, {@code connect-timeout}).
 * <ul>
 * <li>2xx: succeeded, the improvement read from the answer;</li>
 * <li>404: skipped (the peer has nothing to repair there);</li>
 * <li>409 with Retry-After: pending (the peer still runs an earlier call with the same key);</li>
 * <li>another 4xx: failed, final;</li>
 * <li>5xx, timeout, refused connection: pending, to be retried.</li>
 * </ul>
 */
@ApplicationScoped
public class PeerClient {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PeerClient.class);

    private final LoadBalancerRestClient loadBalancer;
    private final RecoveryDaemonRestClient daemon;
    private final ObjectMapper mapper;

    public PeerClient(@RestClient LoadBalancerRestClient loadBalancer, @RestClient RecoveryDaemonRestClient daemon,
                      ObjectMapper mapper) {
        this.loadBalancer = loadBalancer;
        this.daemon = daemon;
        this.mapper = mapper;
    }

    public Uni<Outcome> run(Claimed action) {
        String key = action.id().toString();
        Uni<Response> call = switch (action.type()) {
            case REBALANCE_LOAD -> loadBalancer.rebalance(key, RebalanceRequest.forGroup(action.target()));
            case SPREAD_RITUALS -> loadBalancer.rebalance(key, RebalanceRequest.forAssistant(action.target()));
            case RESYNC_MEMORY, REALIGN_CODEX -> daemon.recover(key, action.target(), Map.of());
        };
        String improvementField = switch (action.type()) {
            case REBALANCE_LOAD, SPREAD_RITUALS -> "pressure_reduction";
            case RESYNC_MEMORY, REALIGN_CODEX -> "recovery_score";
        };
        String peer = switch (action.type()) {
            case REBALANCE_LOAD, SPREAD_RITUALS -> "the load balancer";
            case RESYNC_MEMORY, REALIGN_CODEX -> "the recovery daemon";
        };
        return call
                .onFailure(WebApplicationException.class).recoverWithItem(e -> ((WebApplicationException) e).getResponse())
                .map(response -> interpret(response, improvementField, peer, action.target()))
                .onFailure().recoverWithItem(e -> retry(describe(peer, e)));
    }

    Outcome interpret(Response response, String improvementField, String peer) {
        return interpret(response, improvementField, peer, null);
    }

    /** @param target the action's target, which a daemon's answer must name as its zone (null: not checked) */
    Outcome interpret(Response response, String improvementField, String peer, String target) {
        int status = response.getStatus();
        String body = response.hasEntity() ? response.readEntity(String.class) : "";
        if (status >= 200 && status < 300) {
            return success(body, improvementField, target);
        }
        // the peer's status and its problem title, never its raw body (it may carry anything)
        String error = peer + " answered HTTP " + status + title(body);
        if (status == 401 || status == 403) {
            // the same token would be refused again: final, never a retry loop
            return new Outcome(ActionStatus.FAILED, null, null, error + (status == 401
                    ? ": it refused this service's token; check that both services trust the same key "
                      + "(SMALLRYE_JWT_SIGN_KEY_LOCATION here, MP_JWT_VERIFY_PUBLICKEY_LOCATION there) or mythos.peers.token"
                    : ": this service's token lacks the role the route needs (service)"));
        }
        if (status == 404) {
            return new Outcome(ActionStatus.SKIPPED, null, null, error);
        }
        if (status == 409 && response.getHeaderString("Retry-After") != null) {
            // DESIGN.md "Idempotency": the peer is still running the first call with this key (a retry after a
            // timeout met it in flight); it says when to come back, so this is temporary, not final
            return retry(error + ": the first call with this action's key is still running");
        }
        if (status >= 400 && status < 500) {
            return new Outcome(ActionStatus.FAILED, null, null, error);
        }
        return retry(error);
    }

    /** " (Title)" from a problem+json body, when it has a short one-line title. */
    private String title(String body) {
        try {
            JsonNode title = body.isBlank() ? null : mapper.readTree(body).get("title");
            if (title != null && title.isTextual() && title.asText().length() <= 80 && title.asText().matches("[\\w ,.'-]+")) {
                return " (" + title.asText() + ")";
            }
        } catch (Exception e) {
            // not JSON: nothing to quote
        }
        return "";
    }

    /**
     * The improvement is the answer's pressure_reduction or recovery_score. The daemon answers a zone
     * that is already converged with its status and no score: nothing needed repair, which counts as
     * an improvement of 0. An answer without either is not what the contract promises: failed.
     * <p>
     * A 2xx is checked, not trusted (DESIGN.md "Idempotency": a caller that retries a repair checks the
     * answer it gets): a plan must say {@code applied: true} (a dry run's plan replayed under the action's
     * key applied nothing), and a daemon's answer must be about the action's zone.
     */
    private Outcome success(String body, String improvementField, String target) {
        JsonNode answer;
        try {
            answer = mapper.readTree(body);
        } catch (Exception e) {
            return new Outcome(ActionStatus.FAILED, null, null, "the peer answered 2xx with a body that is not JSON");
        }
        boolean plan = "pressure_reduction".equals(improvementField);
        // the action keeps a bounded summary of the answer, never the answer itself (PeerAnswers)
        JsonNode kept = plan ? PeerAnswers.plan(answer) : PeerAnswers.recovery(answer);
        String result = kept == null ? null : kept.toString();
        if (answer != null && plan && !answer.path("applied").asBoolean(false)) {
            return new Outcome(ActionStatus.FAILED, null, result,
                    "the load balancer answered a plan that was not applied (applied is not true)");
        }
        if (answer != null && target != null && "recovery_score".equals(improvementField)
                && !target.equals(answer.path("network_zone").asText(null))) {
            return new Outcome(ActionStatus.FAILED, null, result,
                    "the recovery daemon's answer is not a recovery of zone " + target);
        }
        JsonNode improvement = answer == null ? null : answer.get(improvementField);
        if (improvement != null && improvement.isNumber()) {
            return new Outcome(ActionStatus.SUCCEEDED, improvement.doubleValue(), result, null);
        }
        if (answer != null && "converged".equals(answer.path("status").asText())) {
            return new Outcome(ActionStatus.SUCCEEDED, 0.0, result, null);
        }
        return new Outcome(ActionStatus.FAILED, null, result,
                "the peer's 2xx answer has no numeric " + improvementField);
    }

    private static Outcome retry(String error) {
        return new Outcome(ActionStatus.PENDING, null, null, error);
    }

    /**
     * A category, never the exception's message: those name hosts, ports and classes (DESIGN.md "Access
     * control": nothing internal in a stored last_error). The full exception goes to the log at debug.
     */
    static String describe(String peer, Throwable e) {
        LOG.debugf(e, "call to %s failed", peer);
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
            if (t instanceof java.util.concurrent.TimeoutException || name.contains("timeout")) {
                return "timeout: " + peer + " did not answer in time";
            }
            if (t instanceof java.net.ConnectException || name.contains("connect")) {
                return "Connection to " + peer + " failed (refused or unreachable)";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "Connection to " + peer + " failed (its host name does not resolve)";
            }
        }
        return "The call to " + peer + " failed before an answer (I/O error)";
    }
}
