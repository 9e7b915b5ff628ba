package io.mythos.daemon.service;

import io.mythos.common.daemon.RecoveryRecord;
import io.mythos.common.daemon.ZoneConverged;
import io.mythos.common.daemon.ZoneStatus;
import io.mythos.daemon.belief.BeliefMath;
import io.mythos.daemon.belief.RecoveryParameters;
import io.mythos.daemon.belief.Replica;
import io.mythos.daemon.belief.ZoneRecovery;
import io.mythos.daemon.belief.ZoneRecovery.Move;
import io.mythos.daemon.belief.ZoneRecovery.Outcome;
import io.mythos.daemon.belief.ZoneRecovery.Plan;
import io.mythos.daemon.config.DaemonConfig;
import io.mythos.daemon.repository.EscalationRepository;
import io.mythos.daemon.repository.EscalationRepository.Escalation;
import io.mythos.daemon.repository.RecoveryEventRepository;
import io.mythos.daemon.repository.ReplicaRepository;
import io.mythos.daemon.repository.ReplicaRepository.Resync;
import io.mythos.daemon.repository.ReplicaRepository.StoredReplica;
import io.mythos.daemon.repository.ZoneRepository;
import io.mythos.daemon.repository.ZoneRepository.ZonePoint;
import io.mythos.daemon.repository.ZoneRepository.ZoneRow;
import io.mythos.daemon.repository.ZoneRepository.ZoneUpdate;
import io.mythos.daemon.service.DaemonMetrics.Phase;
import io.mythos.platform.idempotency.IdempotencyStore;
import io.mythos.platform.idempotency.IdempotentAnswer;
import io.mythos.platform.idempotency.IdempotentRequest;
import io.mythos.platform.json.JsonText;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.sql.SqlState;
import io.mythos.platform.web.ProblemException;
import io.mythos.platform.reactive.Offload;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The anti-entropy recovery of belief zones (a cycle's, or one zone's for the recover route): one
 * transaction locks the zones to check (per-zone advisory try-locks, so two instances never recover one
 * zone at once), reads all their replicas in one query, plans in memory ({@code belief.ZoneRecovery}),
 * applies the resyncs in one batched, version-checked UPDATE, and writes the records, the path points,
 * the zone rows and the escalations in multi-row statements.
 */
@ApplicationScoped
public class ZoneRecoveryService {

    /** What a recovery did to one zone: a record, or nothing because it was converged. */
    public record ZoneResult(String zone, ZoneStatus status, double divergence, RecoveryRecord record) {
    }

    /** One cycle: the zones checked (those another instance held are absent) and the records written. */
    public record CycleResult(Map<String, ZoneResult> zones, List<RecoveryRecord> records, long applied,
                              long conflicts, int escalations) {

        static final CycleResult EMPTY = new CycleResult(Map.of(), List.of(), 0, 0, 0);
    }

    private final Pool pool;
    private final ZoneRepository zones;
    private final ReplicaRepository replicas;
    private final RecoveryEventRepository events;
    private final EscalationRepository escalations;
    private final DaemonConfig config;
    private final JsonText json;
    private final DaemonMetrics metrics;
    private final IdempotencyStore keys;
    private final ZoneTurns turns;

    /** The route an Idempotency-Key of this service is scoped to. */
    static final String RECOVER_ROUTE = "POST /system/daemon/zones/{zone}/recover";

    public ZoneRecoveryService(Pool pool, ZoneRepository zones, ReplicaRepository replicas,
                               RecoveryEventRepository events, EscalationRepository escalations,
                               DaemonConfig config, JsonText json, DaemonMetrics metrics, io.vertx.core.Vertx vertx,
                               @ConfigProperty(name = "mythos.daemon.retention.idempotency-keys", defaultValue = "P1D")
                               Duration keepKeys) {
        this.keys = new IdempotencyStore("recovery", keepKeys);
        this.turns = new ZoneTurns(vertx);
        this.pool = pool;
        this.zones = zones;
        this.replicas = replicas;
        this.events = events;
        this.config = config;
        this.escalations = escalations;
        this.json = json;
        this.metrics = metrics;
    }

    /** One cycle over every zone that is not converged or has had a report since its last check. */
    public Uni<CycleResult> runCycle() {
        return pool.withTransaction(conn -> recover(conn, null))
                .call(this::observe);
    }

    /**
     * {@code POST /system/daemon/zones/{zone}/recover}: the record written, or the converged answer, as
     * JSON. With an idempotency key (the platform's {@link IdempotencyStore}, bound to the zone's path), a
     * repeated key answers the first response and recovers nothing. Once called, the recovery commits or
     * rolls back whole even if the caller hangs up.
     * <p>
     * Requests for one zone take turns in this instance ({@link ZoneTurns}): one whose turn comes after a
     * recovery of the zone that started after it arrived gets that recovery's answer (stored under its own
     * key) instead of recovering again. Past {@code mythos.daemon.recover-lock-timeout} of waiting, for
     * its turn and then for the zone's database lock (a cycle, another instance), the answer is a 409 with
     * Retry-After: the zone is busy with a recovery, a conflict the caller resolves by coming back.
     */
    public Uni<IdempotentAnswer<CycleResult>> recoverZone(String zone, String idempotencyKey) {
        IdempotentRequest key = IdempotentRequest.of(RECOVER_ROUTE, idempotencyKey, "/system/daemon/zones/" + zone + "/recover", "");
        Duration wait = config.recoverLockTimeout();
        long deadline = System.nanoTime() + wait.toNanos();
        return IndependentWrite.<IdempotentAnswer<CycleResult>>run(() -> turns.take(zone, wait, () -> busy(zone)).chain(turn -> {
            String ran = turn.ranSinceArrival();
            if (ran != null) {
                turn.release();
                return answerUnderKey(key, ran);
            }
            turn.starting();
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            return Uni.createFrom().deferred(() -> recoverInTransaction(zone, key, left))
                    .invoke(a -> {
                        if (a.fresh() != null) {
                            turn.ran(a.body());
                        }
                    })
                    .eventually(turn::release);
        })).call(a -> observe(a.fresh() != null ? a.fresh() : CycleResult.EMPTY));
    }

    /** The zones' turns (package-private: tests hold one). */
    ZoneTurns turns() {
        return turns;
    }

    /** A recovery's answer given to a request that waited for it, kept under the request's own key. */
    private Uni<IdempotentAnswer<CycleResult>> answerUnderKey(IdempotentRequest key, String body) {
        IdempotentAnswer<CycleResult> shared = IdempotentAnswer.of(200, body, null);
        if (key == null) {
            return Uni.createFrom().item(shared);
        }
        return pool.withTransaction(conn -> keys.run(conn, key, () -> Uni.createFrom().item(shared)));
    }

    private Uni<IdempotentAnswer<CycleResult>> recoverInTransaction(String zone, IdempotentRequest key, Duration lockWait) {
        return pool.withTransaction(conn -> keys.run(conn, key, () -> zones.counts(conn, zone, config.staleAfter()).chain(found -> {
            if (found.isEmpty()) {
                throw ProblemException.notFound("Zone " + zone + " has no replicas");
            }
            // Wait for a recovery in progress elsewhere (a cycle, another instance): this route's callers want
            // the zone recovered, not a refusal; then recover from what that one left.
            return zones.awaitLock(conn, zone, lockWait)
                    .chain(() -> recover(conn, zone))
                    .map(result -> IdempotentAnswer.of(200, answer(zone, result), result));
        }))).onFailure(e -> SqlState.is(e, SqlState.LOCK_NOT_AVAILABLE)).transform(e -> busy(zone));
    }

    /**
     * 409 with Retry-After: the zone is being recovered (by the requests before this one, a cycle or another
     * instance) for longer than this request may wait. A conflict with a recovery in progress, not a fault of
     * the service; the healing service's outbox retries a 409 that carries Retry-After.
     */
    static ProblemException busy(String zone) {
        return new ProblemException(409, "about:blank", "Conflict", "Zone " + zone + " is being recovered by another "
                + "recovery (a cycle, another instance, or the requests before this one) for longer than this request "
                + "may wait; retry", null, 1);
    }

    private String answer(String zone, CycleResult result) {
        ZoneResult r = result.zones().get(zone);
        if (r == null) {
            throw busy(zone);
        }
        return json.write(r.record() != null ? r.record() : new ZoneConverged(zone, r.status(), r.divergence()));
    }

    private Uni<Void> observe(CycleResult result) {
        metrics.recorded(result);
        return metrics.refresh();
    }

    /**
     * The recovery of {@code zone}, or of every zone to check when it is null, inside {@code conn}'s
     * transaction (package-private: the tests run one in a transaction they hold open).
     */
    Uni<CycleResult> recover(SqlConnection conn, String zone) {
        return zones.lockForRecovery(conn, zone).chain(rows -> rows.isEmpty()
                ? Uni.createFrom().item(CycleResult.EMPTY)
                : recoverLocked(conn, rows));
    }

    private Uni<CycleResult> recoverLocked(SqlConnection conn, List<ZoneRow> rows) {
        List<String> names = rows.stream().map(ZoneRow::zone).toList();
        RecoveryParameters parameters = config.recoveryParameters();
        return metrics.timed(Phase.READ, () -> replicas.ofZones(conn, names, config.staleAfter(), config.offloadChars()))
                .chain(stored -> metrics.timed(Phase.PLAN, () -> Offload.ifLarge(BeliefService.values(stored),
                        config.offloadValues(), () -> plan(rows, stored, parameters))))
                .chain(plans -> metrics.timed(Phase.RESYNC, () -> replicas.resync(conn, resyncs(plans)))
                        .chain(applied -> metrics.timed(Phase.WRITE,
                                () -> write(conn, rows, plans, applied, parameters))));
    }

    private static List<Resync> resyncs(Map<String, Plan> plans) {
        List<Resync> resyncs = new ArrayList<>();
        plans.forEach((zone, plan) -> {
            if (!plan.converged()) {
                for (Move m : plan.moves()) {
                    resyncs.add(new Resync(zone, m.replica().assistantId(), m.replica().version(), m.moved()));
                }
            }
        });
        return resyncs;
    }

    private static Map<String, Plan> plan(List<ZoneRow> rows, List<StoredReplica> stored,
                                          RecoveryParameters parameters) {
        Map<String, List<Replica>> fresh = new HashMap<>();
        for (StoredReplica s : stored) {
            if (s.fresh()) {
                fresh.computeIfAbsent(s.zone(), z -> new ArrayList<>()).add(s.replica());
            }
        }
        Map<String, Plan> plans = new LinkedHashMap<>();
        for (ZoneRow row : rows) {
            plans.put(row.zone(), ZoneRecovery.plan(fresh.getOrDefault(row.zone(), List.of()), parameters));
        }
        return plans;
    }

    private Uni<CycleResult> write(SqlConnection conn, List<ZoneRow> rows, Map<String, Plan> plans,
                                   Set<String> applied, RecoveryParameters parameters) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Map<String, ZoneResult> results = new LinkedHashMap<>();
        List<RecoveryRecord> records = new ArrayList<>();
        List<ZonePoint> points = new ArrayList<>();
        List<ZoneUpdate> updates = new ArrayList<>();
        List<Escalation> stalls = new ArrayList<>();
        long appliedCount = 0;
        long conflicts = 0;
        for (ZoneRow row : rows) {
            Plan plan = plans.get(row.zone());
            if (plan.converged()) {
                updates.add(new ZoneUpdate(row.zone(), ZoneStatus.CONVERGED, plan.zoneDivergence(), row.cycles(), null,
                        0, false, row.reportedSeq()));
                results.put(row.zone(), new ZoneResult(row.zone(), ZoneStatus.CONVERGED, plan.zoneDivergence(), null));
                continue;
            }
            Set<String> appliedHere = new HashSet<>();
            for (Move m : plan.moves()) {
                if (applied.contains(ReplicaRepository.key(row.zone(), m.replica().assistantId()))) {
                    appliedHere.add(m.replica().assistantId());
                }
            }
            Outcome outcome = plan.outcome(appliedHere);
            appliedCount += outcome.appliedCount();
            conflicts += outcome.conflictCount();
            double after = outcome.zoneDivergenceAfter();
            int cycle = row.cycles() + 1;
            int withoutFall = BeliefMath.cyclesWithoutFall(row.lastPathDivergence(), after, row.cyclesWithoutFall());
            ZoneStatus status = BeliefMath.status(after, withoutFall, parameters);
            boolean stalled = status == ZoneStatus.STALLED;
            if (stalled && !row.stallReported()) {
                stalls.add(new Escalation(0, row.zone(), plan.mostDivergent(), Math.min(1.0, after)));
            }
            RecoveryRecord record = new RecoveryRecord(UUID.randomUUID(), row.zone(), outcome.detectedFailure(),
                    outcome.attempts(), outcome.vectors(), outcome.scripts(), outcome.recoveryScore(), now);
            records.add(record);
            points.add(new ZonePoint(row.zone(), cycle, now, after));
            updates.add(new ZoneUpdate(row.zone(), status, after, cycle, outcome.recoveryScore(), withoutFall, stalled,
                    row.reportedSeq()));
            results.put(row.zone(), new ZoneResult(row.zone(), status, after, record));
        }
        CycleResult result = new CycleResult(results, records, appliedCount, conflicts, stalls.size());
        return events.insert(conn, records)
                .chain(() -> zones.insertPath(conn, points))
                .chain(() -> zones.update(conn, updates))
                .chain(() -> escalations.insert(conn, stalls))
                .replaceWith(result);
    }
}
