package io.mythos.healing.service;

import io.mythos.common.healing.ActionStatus;
import io.mythos.common.healing.ActionType;
import io.mythos.healing.client.PeerClient;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.engine.Backoff;
import io.mythos.healing.repository.ActionRepository;
import io.mythos.healing.repository.ActionRepository.Claimed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
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
     * does an event's end claim again. Otherwise every end was a claim of its own, a transaction of five
     * statements that found nothing (two per spike, issue 10), while new events kick their own claim and
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
                    return run(claimed, () -> { }).replaceWith(claimed.size());
                });
    }

    /**
     * Starts repairs without waiting for them; their outcome is in the database. A pipeline, not rounds:
     * each claim takes what the brake leaves free, starts those calls and returns, and each event is
     * recorded as soon as its own calls end, so one slow call never holds back the events claimed beside it
     * (rounds that waited for their slowest call capped throughput at the brake per slowest call). An event
     * recorded claims again only when the last claim left due actions behind. Claims coalesce: while one is
     * under way, further kicks only ask for one more after it.
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
                    run(claim.chosen(), this::afterEvent).subscribe().with(x -> { });
                }, e -> {
                    LOG.warnf("repair claim failed, the retrier will try again: %s", e.toString());
                    afterClaim();
                });
    }

    /** An event's outcomes are recorded: its room under the brake goes to the actions the last claim left behind, if any. */
    private void afterEvent() {
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

    /**
     * Makes the claimed actions' calls (one per distinct call) and records the outcomes an event at a time, once
     * every claimed action of the event has its outcome: one transaction per event, not one per action. Ends when
     * all are recorded; {@code afterEvent} runs after each event's.
     */
    private Uni<Void> run(List<Claimed> claimed, Runnable afterEvent) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, EventOutcomes> byEvent = new HashMap<>();
        claimed.forEach(a -> byEvent.computeIfAbsent(a.eventId(), id -> new EventOutcomes()).expected++);
        return Multi.createFrom().iterable(byCall(claimed))
                .onItem().transformToUniAndMerge(same -> call(same).flatMap(outcome -> {
                    List<UUID> ready = new ArrayList<>();
                    List<List<ActionRepository.Done>> outcomes = new ArrayList<>();
                    for (Claimed a : same) {
                        List<ActionRepository.Done> all = byEvent.get(a.eventId()).arrive(a, outcome, this::retryIn);
                        if (all != null) {
                            ready.add(a.eventId());
                            outcomes.add(all);
                        }
                    }
                    return Multi.createFrom().range(0, ready.size())
                            .onItem().transformToUniAndConcatenate(i -> record(ready.get(i), outcomes.get(i)).invoke(afterEvent))
                            .collect().asList();
                }))
                .collect().asList().replaceWithVoid();
    }

    /** One call for actions that all ask for it: its outcome, or null when it failed outside the outcome's terms. */
    private Uni<ActionRepository.Outcome> call(List<Claimed> same) {
        return Uni.createFrom().deferred(() -> peers.run(same.get(0)))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("repair call for %s %s failed: %s", same.get(0).type(), same.get(0).target(), e.toString());
                    return null;
                });
    }

    private Duration retryIn(Claimed action) {
        return Backoff.after(action.attempts() + 1, config.backoffBase(), config.backoffMax());
    }

    /**
     * The outcomes of one event's claimed actions as they arrive (calls end on any event-loop thread). An action
     * whose call failed without an outcome is not recorded: its claim expires and a later run tries it again.
     */
    private static final class EventOutcomes {
        private int expected;
        private final List<ActionRepository.Done> done = new ArrayList<>();

        /** Counts one action's outcome in; answers every outcome of the event once the last has arrived, else null. */
        synchronized List<ActionRepository.Done> arrive(Claimed action, ActionRepository.Outcome outcome,
                                                        Function<Claimed, Duration> retryIn) {
            if (outcome != null) {
                done.add(new ActionRepository.Done(action, outcome, retryIn.apply(action)));
            }
            return --expected == 0 ? List.copyOf(done) : null;
        }
    }

    private Uni<Void> record(UUID eventId, List<ActionRepository.Done> done) {
        if (done.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return actions.completeEvent(eventId, done, config.maxAttempts())
                .invoke(statuses -> done.forEach(d -> {
                    ActionStatus status = statuses.get(d.action().id());
                    if (status != null) {
                        metrics.actionOutcome(d.action().type(), status);
                    }
                }))
                .replaceWithVoid()
                // the database failed us: the claims expire and a later run tries the actions again
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("could not record the outcomes of event %s: %s", eventId, e.toString());
                    return null;
                });
    }
}
