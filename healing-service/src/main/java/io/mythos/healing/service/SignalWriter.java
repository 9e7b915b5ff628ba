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
import io.mythos.healing.repository.SignalRepository.NewAction;
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

    public SignalWriter(Pool pool, SignalRepository signals, RuleRepository rules, EventRepository events,
                        RuleService ruleService, HealingConfig config) {
        this.pool = pool;
        this.signals = signals;
        this.rules = rules;
        this.events = events;
        this.ruleService = ruleService;
        this.config = config;
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
                                return countOnEvents(conn, groups, registered).map(counted -> written(batch, accepted, groups, counted));
                            });
                }));
    }

    private Uni<List<CountedOn>> countOnEvents(SqlConnection conn, List<FiringGroup> groups, Map<String, AssistantRef> registered) {
        if (groups.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return signals.countOnEvents(conn, groups).call(counted -> {
            List<NewAction> actions = new ArrayList<>();
            List<UUID> opened = new ArrayList<>();
            for (FiringGroup g : groups) {
                CountedOn event = counted.get(g.ord());
                if (event.opened()) {
                    opened.add(event.eventId());
                    AssistantRef a = registered.get(g.assistantId());
                    for (RepairPlan.Planned p : RepairPlan.actionsFor(g.trigger(), a.assistantId(), a.group(), a.zone())) {
                        actions.add(new NewAction(UUID.randomUUID(), event.eventId(), p));
                    }
                }
            }
            boolean dryRun = config.repair().dryRun();
            Uni<Void> outbox = signals.insertActions(conn, actions, dryRun ? ActionStatus.DRY_RUN : ActionStatus.PENDING);
            // dry run: nothing is pending, so the new events end at once (resolved, no delta)
            return dryRun && !opened.isEmpty() ? outbox.chain(() -> events.updateFromActions(conn, opened)) : outbox;
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
