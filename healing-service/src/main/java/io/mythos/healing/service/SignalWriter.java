package io.mythos.healing.service;

import io.mythos.common.healing.ActionStatus;
import io.mythos.common.healing.SignalKind;
import io.mythos.common.healing.SignalRequest;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.engine.Firing;
import io.mythos.healing.engine.FiringGroup;
import io.mythos.healing.engine.RepairPlan;
import io.mythos.healing.engine.Signal;
import io.mythos.healing.engine.SignalBatch;
import io.mythos.healing.engine.SignalBatch.CountedOn;
import io.mythos.healing.engine.SignalBatch.Outcome;
import io.mythos.healing.repository.EventRepository;
import io.mythos.healing.repository.RuleRepository;
import io.mythos.healing.repository.SignalRepository;
import io.mythos.healing.repository.SignalRepository.AssistantRef;
import io.mythos.healing.repository.SignalRepository.HeldAction;
import io.mythos.healing.repository.SignalRepository.NewAction;
import io.mythos.healing.repository.SafetyRepository;
import io.mythos.healing.engine.FiringRule;
import io.mythos.healing.engine.Opening;
import io.mythos.healing.engine.StormGuard;
import io.mythos.common.healing.EventStatus;
import jakarta.inject.Inject;
import java.util.TreeMap;
import java.util.TreeSet;
import io.mythos.platform.sql.SqlState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes a batch of signal requests in one short transaction; what fires is the engine's decision
 * ({@link Firing}, {@link SignalBatch}). The transaction locks the named assistants, reads the rules,
 * counts the windows of the signals that need it, inserts the signals with one multi-row insert,
 * counts each firing (node, trigger) on its event (opening it if needed) and writes the new events'
 * repair actions (the outbox).
 */
@ApplicationScoped
public class SignalWriter {

    private static final Logger LOG = Logger.getLogger(SignalWriter.class);

    private final Pool pool;
    private final SignalRepository signals;
    private final RuleRepository rules;
    private final EventRepository events;
    private final RuleService ruleService;
    private final HealingConfig config;
    private final SafetyRepository safety;

    /** A writer on its own pool (a second instance, in the tests); the safety statements hold no state. */
    public SignalWriter(Pool pool, SignalRepository signals, RuleRepository rules, EventRepository events,
                        RuleService ruleService, HealingConfig config) {
        this(pool, signals, rules, events, ruleService, config, new SafetyRepository());
    }

    @Inject
    public SignalWriter(Pool pool, SignalRepository signals, RuleRepository rules, EventRepository events,
                        RuleService ruleService, HealingConfig config, SafetyRepository safety) {
        this.pool = pool;
        this.signals = signals;
        this.rules = rules;
        this.events = events;
        this.ruleService = ruleService;
        this.config = config;
        this.safety = safety;
    }

    /** What a committed batch wrote: each request's outcome, the signals stored, the triggers of the events it opened. */
    public record Written(List<Outcome> outcomes, List<Signal> stored, List<SignalKind> opened) {
    }

    public Uni<Written> write(List<List<SignalRequest>> requests) {
        SignalBatch batch = SignalBatch.of(requests);
        // the rules as last read (mythos.healing.rules-refresh-interval); the firing path reads them in its transaction
        if (Firing.cannotFire(batch.signals(), ruleService.cached())) {
            return insertOnly(batch);
        }
        // a fresh batch per attempt: a retry starts from the requests again
        return Uni.createFrom().deferred(() -> pool.withTransaction(conn -> writeIn(conn, SignalBatch.of(requests))))
                // two batches can still meet in a deadlock on the same events; PostgreSQL aborts one, we redo it
                .onFailure(SignalWriter::isDeadlock).retry().atMost(3);
    }

    /** No signal can fire: one statement stores the requests naming registered assistants and rejects the others. */
    private Uni<Written> insertOnly(SignalBatch batch) {
        return signals.insertWhereKnown(pool, batch.signals()).map(rejected -> {
            rejected.forEach(r -> batch.reject(r.request(), r.assistantId()));
            return new Written(batch.outcomes(List.of(), List.of()), batch.accepted(), List.of());
        });
    }

    private Uni<Written> writeIn(SqlConnection conn, SignalBatch batch) {
        return signals.lockAssistants(conn, batch.assistantIds())
                .flatMap(registered -> rules.firingRules(conn).flatMap(firingRules -> {
                    batch.rejectUnknown(registered.keySet());
                    List<Signal> accepted = batch.accepted();
                    if (accepted.isEmpty()) {
                        return Uni.createFrom().item(new Written(batch.outcomes(List.of(), List.of()), accepted, List.of()));
                    }
                    Firing.Plan plan = Firing.plan(accepted, firingRules);
                    // the windows are counted before the batch is inserted: Firing adds the batch's own signals
                    return signals.lockWindows(conn, plan.probes())
                            .chain(() -> signals.windowCounts(conn, plan.probes()))
                            .call(() -> signals.insert(conn, accepted))
                            .flatMap(stored -> {
                                List<FiringGroup> groups = Firing.group(Firing.firing(plan, stored), firingRules);
                                return countOnEvents(conn, groups, registered, firingRules)
                                        .map(counted -> written(batch, accepted, groups, counted));
                            });
                }));
    }

    /**
     * Counts the firing groups on their events under the events' locks. Before that, for remediation safety:
     * silenced events whose silence ended are ended, recurrences mark the last repair ineffective, and each
     * group's opening is decided (silenced, escalated or active; {@link Opening}). The new active events'
     * actions are written pending, or held when their assistant group is in a storm ({@link StormGuard}).
     */
    private Uni<List<CountedOn>> countOnEvents(SqlConnection conn, List<FiringGroup> groups, Map<String, AssistantRef> registered,
                                               Map<SignalKind, FiringRule> firingRules) {
        if (groups.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return signals.lockEvents(conn, groups)
                .chain(() -> safety.endExpiredSilenced(conn, groups))
                .chain(() -> safety.markRecurrences(conn, groups))
                .chain(() -> safety.ineffectiveCounts(conn, groups, config.flappingWindow()))
                .flatMap(ineffective -> safety.activeSilences(conn).map(silences -> {
                    List<Opening> openings = new ArrayList<>(groups.size());
                    for (FiringGroup g : groups) {
                        AssistantRef a = registered.get(g.assistantId());
                        openings.add(Opening.decide(g.nodeId(), g.trigger(), a.assistantId(), a.group(), silences,
                                ineffective.getOrDefault(g.ord(), 0L), firingRules.get(g.trigger()).maxIneffective()));
                    }
                    return openings;
                }))
                .flatMap(openings -> signals.countOnEvents(conn, groups, openings))
                .call(counted -> writeActions(conn, groups, counted, registered));
    }

    /** The outbox: the actions of the events this batch opened active (escalated and silenced ones have none). */
    private Uni<Void> writeActions(SqlConnection conn, List<FiringGroup> groups, List<CountedOn> counted,
                                   Map<String, AssistantRef> registered) {
        Map<String, List<NewAction>> byGroup = new TreeMap<>();
        List<UUID> opened = new ArrayList<>();
        for (FiringGroup g : groups) {
            CountedOn event = counted.get(g.ord());
            if (event.opened() && event.status() == EventStatus.ACTIVE) {
                opened.add(event.eventId());
                AssistantRef a = registered.get(g.assistantId());
                for (RepairPlan.Planned p : RepairPlan.actionsFor(g.trigger(), a.assistantId(), a.group(), a.zone())) {
                    byGroup.computeIfAbsent(a.group(), k -> new ArrayList<>()).add(new NewAction(UUID.randomUUID(), event.eventId(), p));
                }
            }
        }
        if (opened.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (config.repair().dryRun()) {
            List<NewAction> actions = new ArrayList<>();
            byGroup.values().forEach(actions::addAll);
            // dry run: nothing is pending, so the new events end at once (resolved, no delta)
            return signals.insertActions(conn, actions, ActionStatus.DRY_RUN).chain(() -> events.updateFromActions(conn, opened));
        }
        TreeSet<String> assistantGroups = new TreeSet<>(byGroup.keySet());
        double fraction = config.stormFraction();
        return safety.lockGroups(conn, assistantGroups)
                .chain(() -> safety.groupStates(conn, List.copyOf(assistantGroups), config.stormWindow()))
                .flatMap(states -> {
                    List<NewAction> pending = new ArrayList<>();
                    List<HeldAction> held = new ArrayList<>();
                    Uni<Void> storms = Uni.createFrom().voidItem();
                    for (SafetyRepository.GroupState state : states) {
                        List<NewAction> actions = byGroup.get(state.group());
                        if (StormGuard.holds(state.inStorm(), state.figures(), fraction, config.stormMinAssistants())) {
                            actions.forEach(a -> held.add(new HeldAction(a, state.group())));
                            if (!state.inStorm()) {
                                LOG.warnf("storm in group %s: %d of %d assistants have active events; new repairs held",
                                        state.group(), state.figures().affected(), state.figures().registered());
                                storms = storms.chain(() -> safety.startStorm(conn, state.group(), state.figures().fraction()));
                            }
                        } else {
                            pending.addAll(actions);
                        }
                    }
                    return storms.chain(() -> signals.insertActions(conn, pending, ActionStatus.PENDING))
                            .chain(() -> signals.insertHeldActions(conn, held));
                });
    }

    private static Written written(SignalBatch batch, List<Signal> stored, List<FiringGroup> groups, List<CountedOn> counted) {
        List<SignalKind> opened = new ArrayList<>();
        for (FiringGroup g : groups) {
            if (counted.get(g.ord()).opened()) {
                opened.add(g.trigger());
            }
        }
        return new Written(batch.outcomes(groups, counted), stored, opened);
    }

    private static boolean isDeadlock(Throwable e) {
        boolean deadlock = SqlState.is(e, SqlState.DEADLOCK_DETECTED);
        if (deadlock) {
            LOG.debug("signal batch met a deadlock; retrying it");
        }
        return deadlock;
    }
}
