package io.mythos.daemon.service;

import io.mythos.common.healing.SignalKind;
import io.mythos.common.healing.SignalRequest;
import io.mythos.daemon.client.HealingClient;
import io.mythos.daemon.client.RejectedSignalException;
import io.mythos.daemon.repository.EscalationRepository;
import io.mythos.daemon.repository.EscalationRepository.Escalation;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Sends the pending escalations (stalled zones) to the healing service, outside any transaction: a
 * row is claimed with a lease, the call is made, and the row ends sent, rejected (422 or another
 * refusal: logged and counted, not retried) or pending again (retried on the next cycle).
 */
@ApplicationScoped
public class EscalationService {

    private static final Logger LOG = Logger.getLogger(EscalationService.class);
    static final int BATCH = 50;

    /** What one dispatch did. */
    public record Dispatch(int sent, int rejected, int failed) {

        static final Dispatch NONE = new Dispatch(0, 0, 0);

        Dispatch plus(EscalationOutcome outcome) {
            return switch (outcome) {
                case SENT -> new Dispatch(sent + 1, rejected, failed);
                case REJECTED -> new Dispatch(sent, rejected + 1, failed);
                case FAILED -> new Dispatch(sent, rejected, failed + 1);
            };
        }
    }

    private final Pool pool;
    private final EscalationRepository escalations;
    private final HealingClient healing;
    private final DaemonMetrics metrics;

    public EscalationService(Pool pool, EscalationRepository escalations, HealingClient healing,
                             DaemonMetrics metrics) {
        this.pool = pool;
        this.escalations = escalations;
        this.healing = healing;
        this.metrics = metrics;
    }

    public Uni<Dispatch> dispatchPending() {
        return escalations.claim(pool, BATCH).chain(claimed -> sendFrom(claimed, 0, Dispatch.NONE));
    }

    /**
     * One at a time; after a failure (healing service down or erroring) the rest of the batch is
     * released untried, so an unreachable service costs one call's retries per cycle, not fifty.
     */
    private Uni<Dispatch> sendFrom(List<Escalation> claimed, int i, Dispatch so) {
        if (i == claimed.size()) {
            return Uni.createFrom().item(so);
        }
        return send(claimed.get(i)).chain(outcome -> outcome == EscalationOutcome.FAILED
                ? escalations.release(pool, claimed.subList(i + 1, claimed.size())).replaceWith(so.plus(outcome))
                : sendFrom(claimed, i + 1, so.plus(outcome)));
    }

    private Uni<EscalationOutcome> send(Escalation e) {
        SignalRequest signal = new SignalRequest("zone:" + e.zone(), e.assistantId(), SignalKind.SYMBOLIC_ERROR,
                e.divergence(), OffsetDateTime.now(ZoneOffset.UTC),
                String.format(Locale.ROOT, "belief zone %s stalled at divergence %.4f", e.zone(), e.divergence()));
        return healing.signal(signal)
                .chain(() -> escalations.sent(pool, e.id()).replaceWith(EscalationOutcome.SENT))
                .onFailure().recoverWithUni(t -> {
                    if (t instanceof RejectedSignalException rejected) {
                        LOG.warnf("Escalation of stalled zone %s refused by the healing service (%d), not retried: %s",
                                e.zone(), rejected.status(), t.getMessage());
                        return escalations.rejected(pool, e.id(), t.getMessage()).replaceWith(EscalationOutcome.REJECTED);
                    }
                    LOG.infof("Escalation of stalled zone %s failed, retried on a later cycle: %s", e.zone(), t.toString());
                    // stored: a category, not the exception (its message names hosts and ports)
                    return escalations.retryLater(pool, e.id(), category(t)).replaceWith(EscalationOutcome.FAILED);
                })
                .invoke(metrics::escalation);
    }

    static String category(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String name = c.getClass().getSimpleName().toLowerCase(Locale.ROOT);
            if (name.contains("timeout")) {
                return "timeout: the healing service did not answer in time";
            }
            if (c instanceof java.net.ConnectException || name.contains("connect")) {
                return "Connection to the healing service failed (refused or unreachable)";
            }
            if (c instanceof IllegalStateException && String.valueOf(c.getMessage()).startsWith("the healing service answered HTTP")) {
                return c.getMessage();
            }
        }
        return "The call to the healing service failed before an answer (I/O error)";
    }
}
