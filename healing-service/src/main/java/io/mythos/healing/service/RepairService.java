package io.mythos.healing.service;

import io.mythos.common.healing.ActionType;
import io.mythos.healing.client.PeerClient;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.engine.Backoff;
import io.mythos.healing.repository.ActionRepository;
import io.mythos.healing.repository.ActionRepository.Claimed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /**
     * Whether the last claim left due actions behind (the brake or the claim batch cut them short): only then
     * does the end of a call claim again. Otherwise every call's end was a claim of its own, a transaction of
     * five statements that found nothing (two per spike, issue 10), while new events kick their own claim and
     * retries are the retrier's.
     */
    private final AtomicBoolean leftBehind = new AtomicBoolean();

    public RepairService(ActionRepository actions, PeerClient peers, HealingMetrics metrics, HealingConfig config) {
        this.actions = actions;
        this.peers = peers;
        this.metrics = metrics;
        this.config = config.repair();
    }

    /** The peer call an action asks for: actions with the same one share a single call in a run. */
    private record Call(ActionType type, String target) {
    }

    /**
     * Runs the due actions; answers how many were tried. In dry-run mode no peer is ever called.
     * Actions that ask for the same call (type and target: many events of one group each asking for its
     * rebalance) share one call, whose outcome each of them records: one request of 1,000 signals for
     * 1,000 nodes of a group is one rebalance, not 1,000 serialised on the group's lock.
     */
    public Uni<Integer> runDue() {
        if (config.dryRun()) {
            return Uni.createFrom().item(0);
        }
        return actions.claim(config.maxConcurrentRepairs(), config.claimBatch(), config.claimLease())
                .flatMap(claim -> {
                    leftBehind.set(claim.more());
                    List<Claimed> claimed = claim.chosen();
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Multi.createFrom().iterable(byCall(claimed))
                            .onItem().transformToUniAndMerge(this::runShared)
                            .collect().asList().map(done -> claimed.size());
                });
    }

    /**
     * Starts repairs without waiting for them; their outcome is in the database. A pipeline, not rounds:
     * each claim takes what the brake leaves free, starts those calls and returns, and every call that
     * ends claims again, so one slow call never holds back the events claimed beside it (rounds that
     * waited for their slowest call capped throughput at the brake per slowest call). A call that ends
     * claims again only when the last claim left due actions behind. Claims coalesce: while one is under
     * way, further kicks only ask for one more after it.
     */
    public void runDueInBackground() {
        if (config.dryRun()) {
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        actions.claim(config.maxConcurrentRepairs(), config.claimBatch(), config.claimLease())
                .subscribe().with(claim -> {
                    leftBehind.set(claim.more());
                    afterClaim();
                    byCall(claim.chosen()).forEach(same -> runShared(same).subscribe().with(x -> afterCall()));
                }, e -> {
                    LOG.warnf("repair claim failed, the retrier will try again: %s", e.toString());
                    afterClaim();
                });
    }

    /** A call ended: its room under the brake goes to the actions the last claim left behind, if any. */
    private void afterCall() {
        if (leftBehind.get()) {
            runDueInBackground();
        }
    }

    private void afterClaim() {
        claiming.set(false);
        if (again.getAndSet(false)) {
            runDueInBackground();
        }
    }

    private static Collection<List<Claimed>> byCall(List<Claimed> claimed) {
        Map<Call, List<Claimed>> byCall = new LinkedHashMap<>();
        claimed.forEach(a -> byCall.computeIfAbsent(new Call(a.type(), a.target()), k -> new ArrayList<>()).add(a));
        return byCall.values();
    }

    /** One call for actions that all ask for it; each records the outcome (its own attempts and backoff). */
    private Uni<Void> runShared(List<Claimed> same) {
        return Uni.createFrom().deferred(() -> peers.run(same.get(0)))
                .flatMap(outcome -> Multi.createFrom().iterable(same)
                        .onItem().transformToUniAndConcatenate(action -> record(action, outcome))
                        .collect().asList())
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("repair call for %s %s failed: %s", same.get(0).type(), same.get(0).target(), e.toString());
                    return null;
                });
    }

    private Uni<Void> record(Claimed action, ActionRepository.Outcome outcome) {
        return actions.complete(action, outcome, config.maxAttempts(),
                        Backoff.after(action.attempts() + 1, config.backoffBase(), config.backoffMax()))
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
