package io.mythos.healing.service;

import io.mythos.common.healing.ActionStatus;
import io.mythos.common.healing.SignalKind;
import io.mythos.common.healing.SignalRequest;
import io.mythos.common.healing.SignalResponse;
import io.mythos.platform.web.WireEnum;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.engine.RepairPlan;
import io.mythos.healing.engine.RuleSpec;
import io.mythos.healing.repository.EventRepository;
import io.mythos.healing.repository.RuleRepository;
import io.mythos.healing.repository.SignalRepository;
import io.mythos.healing.repository.SignalRepository.AssistantRef;
import io.mythos.healing.repository.SignalRepository.FireGroup;
import io.mythos.healing.repository.SignalRepository.Fired;
import io.mythos.healing.repository.SignalRepository.NewAction;
import io.mythos.healing.repository.SignalRepository.SignalRow;
import io.mythos.healing.repository.SignalRepository.WindowProbe;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Stores a batch of signal requests in one short transaction and fires what they trigger:
 * lock the named assistants, insert all signals with one multi-row insert, count the window rules'
 * occurrences, count each firing (node, trigger) on its event (opening it if needed) and write the new
 * events' repair actions (the outbox). Each request is all-or-nothing: one naming an unregistered
 * assistant is rejected whole, and the others of the batch are stored.
 */
@ApplicationScoped
public class SignalWriter {

    private static final Logger LOG = Logger.getLogger(SignalWriter.class);

    /** What became of one request: its answer, or the unregistered assistants that rejected it. */
    public record RequestResult(SignalResponse response, Set<String> unknownAssistants) {
    }

    private final Pool pool;
    private final SignalRepository signals;
    private final RuleRepository rules;
    private final EventRepository events;
    private final HealingMetrics metrics;
    private final RepairService repairs;
    private final RuleService ruleService;
    private final HealingConfig config;

    public SignalWriter(Pool pool, SignalRepository signals, RuleRepository rules, EventRepository events,
                        HealingMetrics metrics, RepairService repairs, RuleService ruleService, HealingConfig config) {
        this.pool = pool;
        this.signals = signals;
        this.rules = rules;
        this.events = events;
        this.metrics = metrics;
        this.repairs = repairs;
        this.ruleService = ruleService;
        this.config = config;
    }

    /** A batch's work, kept for the steps after commit. */
    private static final class Batch {
        final List<List<SignalRequest>> requests;
        final RequestResult[] results;
        final List<SignalRow> rows = new ArrayList<>();
        final List<Integer> requestOf = new ArrayList<>();
        final List<NewAction> newActions = new ArrayList<>();
        final List<SignalKind> opened = new ArrayList<>();

        Batch(List<List<SignalRequest>> requests) {
            this.requests = requests;
            this.results = new RequestResult[requests.size()];
        }
    }

    private static final class Group {
        final String nodeId;
        final SignalKind trigger;
        final String assistantId;
        final int firstOrd;
        final int cooldownSeconds;
        int count;
        java.time.OffsetDateTime lastObservedAt;

        Group(SignalRow first, int cooldownSeconds) {
            this.nodeId = first.nodeId();
            this.trigger = WireEnum.parse(SignalKind.class, first.kind(), "kind");
            this.assistantId = first.assistantId();
            this.firstOrd = first.ord();
            this.cooldownSeconds = cooldownSeconds;
            this.lastObservedAt = first.observedAt();
        }
    }

    public Uni<List<RequestResult>> write(List<List<SignalRequest>> requests) {
        if (cannotFire(requests)) {
            return insertOnly(requests);
        }
        return Uni.createFrom().deferred(() -> {
                    Batch batch = new Batch(requests);
                    return pool.withTransaction(conn -> writeIn(conn, batch)).replaceWith(batch);
                })
                // two batches can still meet in a deadlock on the same events; PostgreSQL aborts one, we redo it
                .onFailure(SignalWriter::isDeadlock).retry().atMost(3)
                .map(this::afterCommit);
    }

    /**
     * Whether no signal of the batch qualifies under any rule (as last read), which is the common case:
     * then nothing can fire, and the batch is stored by one statement without a transaction block. A rule
     * changed on another instance is seen here at the next refresh (healing.rules-refresh-interval).
     */
    private boolean cannotFire(List<List<SignalRequest>> requests) {
        Map<SignalKind, RuleSpec> specs = ruleService.cached();
        for (List<SignalRequest> request : requests) {
            for (SignalRequest s : request) {
                RuleSpec spec = specs.get(s.kind());
                if (spec == null || spec.qualifies(s.value())) {
                    return false;
                }
            }
        }
        return true;
    }

    private Uni<List<RequestResult>> insertOnly(List<List<SignalRequest>> requests) {
        Batch batch = new Batch(requests);
        List<Integer> requestOf = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            for (SignalRequest s : requests.get(i)) {
                batch.rows.add(new SignalRow(batch.rows.size(), s.nodeId(), s.assistantId(), WireEnum.wireName(s.kind()),
                        s.value(), s.observedAt(), s.detail()));
                requestOf.add(i);
            }
        }
        return signals.insertWhereKnown(pool, batch.rows, requestOf.toArray(Integer[]::new)).map(rejected -> {
            Map<Integer, Set<String>> unknown = new java.util.HashMap<>();
            rejected.forEach(r -> unknown.computeIfAbsent(r.request(), k -> new TreeSet<>()).add(r.assistantId()));
            List<SignalRow> stored = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                batch.results[i] = unknown.containsKey(i) ? new RequestResult(null, unknown.get(i))
                        : new RequestResult(new SignalResponse(requests.get(i).size(), List.of()), Set.of());
            }
            for (SignalRow row : batch.rows) {
                if (!unknown.containsKey(requestOf.get(row.ord()))) {
                    stored.add(row);
                }
            }
            batch.rows.clear();
            batch.rows.addAll(stored);
            return afterCommit(batch);
        });
    }

    private Uni<Void> writeIn(SqlConnection conn, Batch batch) {
        Set<String> named = new LinkedHashSet<>();
        batch.requests.forEach(r -> r.forEach(s -> named.add(s.assistantId())));
        return signals.lockAssistants(conn, named.toArray(String[]::new))
                .flatMap(known -> rules.specs(conn).flatMap(specs -> {
                    split(batch, known);
                    if (batch.rows.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    boolean[] firing = new boolean[batch.rows.size()];
                    List<WindowProbe> probes = new ArrayList<>();
                    TreeSet<Long> lockKeys = new TreeSet<>();
                    for (SignalRow row : batch.rows) {
                        RuleSpec spec = specs.get(WireEnum.parse(SignalKind.class, row.kind(), "kind"));
                        if (spec == null || !spec.qualifies(row.value())) {
                            continue;
                        }
                        if (spec.needsWindow()) {
                            probes.add(new WindowProbe(row.ord(), row.nodeId(), row.kind(), row.observedAt(),
                                    spec.windowSeconds(), spec.threshold()));
                            lockKeys.add(lockKey(row.nodeId(), row.kind()));
                        } else {
                            firing[row.ord()] = true;
                        }
                    }
                    // counted before this batch is inserted: the stored signals, plus those of the batch up
                    // to each one, as if the batch's signals had arrived one by one in their order
                    return signals.lockWindows(conn, lockKeys.toArray(Long[]::new))
                            .flatMap(x -> signals.windowCounts(conn, probes))
                            .flatMap(stored -> signals.insert(conn, batch.rows).replaceWith(stored))
                            .flatMap(stored -> {
                                for (WindowProbe p : probes) {
                                    RuleSpec spec = specs.get(WireEnum.parse(SignalKind.class, p.kind(), "kind"));
                                    long count = stored.getOrDefault(p.ord(), 0L) + countEarlierInBatch(p, probes);
                                    firing[p.ord()] = count >= spec.minOccurrences();
                                }
                                return fire(conn, batch, firing, specs, known);
                            });
                }));
    }

    /** The probe itself and the batch's qualifying signals before it, of its node and kind, in its window. */
    private static long countEarlierInBatch(WindowProbe p, List<WindowProbe> probes) {
        java.time.OffsetDateTime from = p.observedAt().minusSeconds(p.windowSeconds());
        long n = 0;
        for (WindowProbe q : probes) {
            if (q.ord() <= p.ord() && q.nodeId().equals(p.nodeId()) && q.kind().equals(p.kind())
                    && !q.observedAt().isBefore(from) && !q.observedAt().isAfter(p.observedAt())) {
                n++;
            }
        }
        return n;
    }

    /** Rejects the requests that name an unregistered assistant; numbers the others' signals. */
    private static void split(Batch batch, Map<String, AssistantRef> known) {
        for (int i = 0; i < batch.requests.size(); i++) {
            List<SignalRequest> request = batch.requests.get(i);
            Set<String> unknown = new TreeSet<>();
            request.forEach(s -> {
                if (!known.containsKey(s.assistantId())) {
                    unknown.add(s.assistantId());
                }
            });
            if (!unknown.isEmpty()) {
                batch.results[i] = new RequestResult(null, unknown);
                continue;
            }
            for (SignalRequest s : request) {
                batch.rows.add(new SignalRow(batch.rows.size(), s.nodeId(), s.assistantId(), WireEnum.wireName(s.kind()),
                        s.value(), s.observedAt(), s.detail()));
                batch.requestOf.add(i);
            }
        }
    }

    private Uni<Void> fire(SqlConnection conn, Batch batch, boolean[] firing, Map<SignalKind, RuleSpec> specs,
                           Map<String, AssistantRef> known) {
        // sorted by (node, trigger): concurrent batches then lock the events in one order
        TreeMap<String, Group> byKey = new TreeMap<>();
        Group[] groupOf = new Group[batch.rows.size()];
        for (SignalRow row : batch.rows) {
            if (!firing[row.ord()]) {
                continue;
            }
            SignalKind kind = WireEnum.parse(SignalKind.class, row.kind(), "kind");
            Group g = byKey.computeIfAbsent(row.nodeId() + '\u0000' + row.kind(),
                    k -> new Group(row, specs.get(kind).cooldownSeconds()));
            g.count++;
            if (row.observedAt().isAfter(g.lastObservedAt)) {
                g.lastObservedAt = row.observedAt();
            }
            groupOf[row.ord()] = g;
        }
        if (byKey.isEmpty()) {
            answer(batch, groupOf, Map.of());
            return Uni.createFrom().voidItem();
        }
        List<Group> groups = new ArrayList<>(byKey.values());
        List<FireGroup> rows = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            rows.add(new FireGroup(i, g.nodeId, WireEnum.wireName(g.trigger), g.assistantId, g.count, g.lastObservedAt,
                    g.cooldownSeconds));
        }
        return signals.fire(conn, rows).flatMap(fired -> {
            Map<Group, Fired> firedOf = new LinkedHashMap<>();
            List<UUID> newEvents = new ArrayList<>();
            for (Fired f : fired) {
                Group g = groups.get(f.groupOrd());
                firedOf.put(g, f);
                if (f.isNew()) {
                    newEvents.add(f.eventId());
                    batch.opened.add(g.trigger);
                    AssistantRef a = known.get(g.assistantId);
                    for (RepairPlan.Planned p : RepairPlan.actionsFor(g.trigger, a.assistantId(), a.group(), a.zone())) {
                        batch.newActions.add(new NewAction(UUID.randomUUID(), f.eventId(), p));
                    }
                }
            }
            answer(batch, groupOf, firedOf);
            boolean dryRun = config.repair().dryRun();
            Uni<Void> outbox = signals.insertActions(conn, batch.newActions, dryRun ? ActionStatus.DRY_RUN : ActionStatus.PENDING);
            // dry run: nothing is pending, so the new events end at once (resolved, no delta)
            return dryRun && !newEvents.isEmpty()
                    ? outbox.flatMap(x -> events.refresh(conn, newEvents.toArray(UUID[]::new)))
                    : outbox;
        });
    }

    /** Each accepted request lists every event its firing signals were counted on, once. */
    private static void answer(Batch batch, Group[] groupOf, Map<Group, Fired> firedOf) {
        List<Map<Group, SignalResponse.Fired>> perRequest = new ArrayList<>();
        for (int i = 0; i < batch.requests.size(); i++) {
            perRequest.add(batch.results[i] == null ? new LinkedHashMap<>() : null);
        }
        int[] accepted = new int[batch.requests.size()];
        for (SignalRow row : batch.rows) {
            int request = batch.requestOf.get(row.ord());
            accepted[request]++;
            Group g = groupOf[row.ord()];
            if (g == null) {
                continue;
            }
            Fired f = firedOf.get(g);
            // of the requests of a new event, the one holding its first signal is told "new"
            boolean isNew = f.isNew() && g.firstOrd == row.ord();
            perRequest.get(request).merge(g, new SignalResponse.Fired(f.eventId(), g.nodeId, g.trigger, isNew),
                    (a, b) -> a.isNew() ? a : b);
        }
        for (int i = 0; i < batch.requests.size(); i++) {
            if (batch.results[i] == null) {
                batch.results[i] = new RequestResult(
                        new SignalResponse(accepted[i], new ArrayList<>(perRequest.get(i).values())), Set.of());
            }
        }
    }

    private List<RequestResult> afterCommit(Batch batch) {
        Map<SignalKind, Integer> perKind = new java.util.EnumMap<>(SignalKind.class);
        for (SignalRow row : batch.rows) {
            perKind.merge(WireEnum.parse(SignalKind.class, row.kind(), "kind"), 1, Integer::sum);
        }
        perKind.forEach(metrics::signals);
        batch.opened.forEach(metrics::eventOpened);
        if (!batch.newActions.isEmpty() && !config.repair().dryRun()) {
            repairs.kick();
        }
        return List.of(batch.results);
    }

    private static long lockKey(String nodeId, String kind) {
        return UUID.nameUUIDFromBytes((kind + '\u0000' + nodeId).getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    }

    private static boolean isDeadlock(Throwable e) {
        boolean deadlock = e instanceof PgException pg && "40P01".equals(pg.getSqlState());
        if (deadlock) {
            LOG.debug("signal batch met a deadlock; retrying it");
        }
        return deadlock;
    }
}
