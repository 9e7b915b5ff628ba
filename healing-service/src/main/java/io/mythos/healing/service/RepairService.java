package io.mythos.healing.service;

import io.mythos.healing.client.PeerClient;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.engine.Backoff;
import io.mythos.healing.repository.ActionRepository;
import io.mythos.healing.repository.ActionRepository.Claimed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Runs the outbox: claims the due pending actions (within the brake), calls the peers outside any
 * transaction, and records each outcome. Started right after a batch opens events, and by the
 * scheduled retrier for retries, for events the brake held back, and for actions a stopped instance
 * left pending.
 */
@ApplicationScoped
public class RepairService {

    private static final Logger LOG = Logger.getLogger(RepairService.class);

    private final ActionRepository actions;
    private final PeerClient peers;
    private final HealingMetrics metrics;
    private final HealingConfig.Repair config;

    public RepairService(ActionRepository actions, PeerClient peers, HealingMetrics metrics, HealingConfig config) {
        this.actions = actions;
        this.peers = peers;
        this.metrics = metrics;
        this.config = config.repair();
    }

    /** Runs the due actions; answers how many were tried. In dry-run mode no peer is ever called. */
    public Uni<Integer> runDue() {
        if (config.dryRun()) {
            return Uni.createFrom().item(0);
        }
        return actions.claimDue(config.maxConcurrentRepairs(), config.claimBatch(), config.claimLease())
                .flatMap(claimed -> claimed.isEmpty() ? Uni.createFrom().item(0)
                        : Multi.createFrom().iterable(claimed)
                                .onItem().transformToUniAndMerge(this::runOne)
                                .collect().asList().map(done -> claimed.size()));
    }

    /** Starts a run without waiting for it; its outcome is in the database. */
    public void runDueInBackground() {
        runDue().subscribe().with(n -> { }, e -> LOG.warnf("repair run failed, the retrier will try again: %s", e.toString()));
    }

    private Uni<Void> runOne(Claimed action) {
        return Uni.createFrom().deferred(() -> peers.run(action))
                .flatMap(outcome -> actions.complete(action, outcome, config.maxAttempts(),
                        Backoff.after(action.attempts() + 1, config.backoffBase(), config.backoffMax())))
                .invoke(status -> {
                    if (status != null) {
                        metrics.actionOutcome(action.type(), status);
                    }
                })
                .replaceWithVoid()
                // the database failed us: the claim expires and a later run tries the action again
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("could not record the outcome of action %s: %s", action.id(), e.toString());
                    return null;
                });
    }
}
