package io.mythos.loadbalancer.service;

import io.mythos.common.load.PlanList;
import io.mythos.common.load.RebalancePlan;
import io.mythos.common.load.RebalanceRequest;
import io.mythos.common.load.RebalancePlan.DecentralizationTask;
import io.mythos.common.load.TaskStatus;
import io.mythos.loadbalancer.config.BalancerConfig;
import io.mythos.loadbalancer.planner.CodexTask;
import io.mythos.loadbalancer.planner.Planner;
import io.mythos.loadbalancer.repository.LoadMapRepository;
import io.mythos.loadbalancer.repository.MapLocks;
import io.mythos.loadbalancer.repository.PlanRepository;
import io.mythos.loadbalancer.repository.TaskRepository;
import io.mythos.platform.idempotency.IdempotencyStore;
import io.mythos.platform.idempotency.IdempotentAnswer;
import io.mythos.platform.idempotency.IdempotentRequest;
import io.mythos.platform.json.JsonText;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /system/load/rebalance}: reads the scope of the map, plans, and (unless dry run) applies
 * the moves, queues the tasks and applies the ritual spread, all in the transaction that stores the
 * plan. An {@code Idempotency-Key} is kept in the platform's {@link IdempotencyStore}, bound to the
 * request (a dry run and a real run are different requests): a repeat gets the stored plan and applies
 * nothing, also when the repeats race.
 */
@ApplicationScoped
public class RebalanceService {

    private final Pool pool;
    private final LoadMapRepository maps;
    private final MapLocks locks;
    private final PlanRepository plans;
    private final TaskRepository tasks;
    private final LoadMapService loadMap;
    private final BalancerMetrics metrics;
    private final BalancerConfig config;
    private final Planner planner = new Planner();
    private final JsonText json;
    private final IdempotencyStore keys;

    /** The route an Idempotency-Key of this service is scoped to. */
    static final String ROUTE = "POST /system/load/rebalance";

    public RebalanceService(Pool pool, LoadMapRepository maps, MapLocks locks, PlanRepository plans, TaskRepository tasks,
                            LoadMapService loadMap, BalancerMetrics metrics, BalancerConfig config, JsonText json,
                            @ConfigProperty(name = "mythos.load-balancer.retention.idempotency-keys", defaultValue = "P1D")
                            Duration keepKeys) {
        this.json = json;
        this.keys = new IdempotencyStore("loadbalancer", keepKeys);
        this.pool = pool;
        this.maps = maps;
        this.locks = locks;
        this.plans = plans;
        this.tasks = tasks;
        this.loadMap = loadMap;
        this.metrics = metrics;
        this.config = config;
    }

    /** The plan as answered (status and JSON body), or the one stored for a repeated key (then replayed). */
    public Uni<IdempotentAnswer<RebalancePlan>> rebalance(RebalanceRequest request, String idempotencyKey) {
        RebalanceRequest req = request == null ? new RebalanceRequest(null, null, false, null, null)
                : new RebalanceRequest(request.group(), request.assistantId(), Boolean.TRUE.equals(request.dryRun()),
                        request.maxMoves(), request.targetImbalance());
        if (req.group() != null && req.assistantId() != null) {
            throw ProblemException.invalid("assistant_id", "give either group or assistant_id, not both");
        }
        IdempotentRequest key = IdempotentRequest.of(ROUTE, idempotencyKey, "/system/load/rebalance", json.write(req));
        UUID planId = UUID.randomUUID();
        Uni<IdempotentAnswer<RebalancePlan>> planned = IndependentWrite.run(() -> pool.withTransaction(conn -> keys.run(conn, key,
                () -> plans.open(conn, planId).chain(() -> planAndApply(conn, planId, req))
                        .map(plan -> IdempotentAnswer.of(200, json.write(plan), plan)))));
        return planned.call(answer -> {
            RebalancePlan plan = answer.fresh();
            if (plan == null) { // the key's stored answer: nothing was planned or applied now
                return Uni.createFrom().voidItem();
            }
            metrics.plan(plan.applied(), plan.redistribution().size());
            if (!plan.applied()) {
                return Uni.createFrom().voidItem();
            }
            long queued = plan.decentralizationTasks().stream().filter(t -> t.status() == TaskStatus.PENDING).count();
            metrics.tasks(TaskStatus.PENDING, (int) queued);
            return loadMap.changed();
        });
    }

    private Uni<RebalancePlan> planAndApply(SqlConnection conn, UUID planId, RebalanceRequest req) {
        boolean dryRun = Boolean.TRUE.equals(req.dryRun());
        Uni<String> group = req.assistantId() == null ? Uni.createFrom().item(req.group())
                : maps.groupOf(conn, req.assistantId()).invoke(g -> {
                    if (g == null) {
                        throw ProblemException.notFound("No assistant " + req.assistantId() + " in the load map");
                    }
                });
        // A plan is applied to exactly the group it was computed on: the group's lock (and the whole map's,
        // shared; exclusive for a whole-map plan) is held from before the read until the commit. Other groups
        // are rebalanced side by side. Under the shared lock the assistant's group cannot change, so it is
        // looked up after taking it. Dry runs take no lock.
        Uni<String> locked;
        if (dryRun) {
            locked = group;
        } else if (req.assistantId() != null) {
            locked = locks.wholeMapShared(conn).chain(() -> group).call(g -> locks.groupsOnly(conn, List.of(g)));
        } else if (req.group() != null) {
            locked = locks.groups(conn, List.of(req.group())).chain(() -> group);
        } else {
            locked = locks.wholeMap(conn).chain(() -> group);
        }
        return locked.chain(g -> maps.read(conn, g)).chain(map -> {
            if (req.group() != null && map.assistantCount() == 0) {
                throw ProblemException.notFound("No assistant of group " + req.group() + " in the load map");
            }
            Planner.Options options = new Planner.Options(req.group(), req.assistantId(),
                    req.targetImbalance() != null ? req.targetImbalance() : config.targetImbalance(),
                    req.maxMoves() != null ? req.maxMoves() : Integer.MAX_VALUE, (int) config.defer().toSeconds());
            long started = System.nanoTime();
            Planner.Plan p = planner.plan(map, options);
            long ms = (System.nanoTime() - started) / 1_000_000;
            Uni<List<DecentralizationTask>> queued = dryRun
                    ? Uni.createFrom().item(p.tasks().stream().map(RebalanceService::unqueued).toList())
                    : apply(conn, planId, p);
            return queued.map(t -> new RebalancePlan(planId,
                    new RebalancePlan.Scope(req.assistantId() != null ? map.group(0) : req.group(), req.assistantId()),
                    dryRun, !dryRun, p.before(), p.after(), p.pressureReduction(), p.movedPressure(), p.moves(), t,
                    p.ritualSpread(), ms, OffsetDateTime.now(ZoneOffset.UTC)));
        }).call(plan -> plans.store(conn, plan));
    }

    /** A dry run's task: what would be queued (no id, no status). */
    private static DecentralizationTask unqueued(CodexTask task) {
        return new DecentralizationTask(null, task.codexId(), task.action(), task.shards(), null);
    }

    private Uni<List<DecentralizationTask>> apply(SqlConnection conn, UUID planId, Planner.Plan p) {
        Uni<Void> chain = maps.moveCodices(conn, p.moves());
        for (RebalancePlan.RitualSpread s : p.ritualSpread()) {
            chain = chain.chain(() -> switch (s.action()) {
                case DEFER -> maps.deferRitual(conn, s.ritualId(), s.deferSeconds());
                case OFFLOAD -> maps.offloadRitual(conn, s.ritualId(), s.toAssistant());
                case CLONE -> maps.cloneRitual(conn, s.ritualId(), cloneId(s.ritualId(), s.toAssistant()), s.toAssistant(),
                        s.share());
            });
        }
        return chain.chain(() -> tasks.enqueue(conn, planId, p.tasks()));
    }

    /** The id of a ritual's clone on another assistant: readable when it fits in 150 characters. */
    static String cloneId(String ritualId, String to) {
        String id = ritualId + "@" + to;
        if (id.length() <= 150) {
            return id;
        }
        return ritualId.substring(0, Math.min(ritualId.length(), 141)) + "@" + String.format("%08x", id.hashCode());
    }

    /** The stored plan's JSON text: answered as stored, so a plan of many thousand entries is never parsed into objects. */
    public Uni<String> find(UUID planId) {
        return plans.find(planId).invoke(p -> {
            if (p == null) {
                throw ProblemException.notFound("No plan " + planId);
            }
        });
    }

    public Uni<PlanList> page(int limit, int offset) {
        return plans.page(limit, offset).chain(list -> plans.count().map(total -> new PlanList(list, total)));
    }
}
