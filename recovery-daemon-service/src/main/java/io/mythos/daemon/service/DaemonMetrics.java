package io.mythos.daemon.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mythos.common.daemon.ZoneStatus;
import io.mythos.daemon.repository.ZoneRepository;
import io.mythos.daemon.repository.ZoneRepository.ZoneLevel;
import io.mythos.platform.reactive.Coalesced;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The daemon's meters ({@code mythos_daemon_*} in Prometheus): divergence per zone and zones per status
 * (gauges, refreshed from the database after each recovery, so they count the zones other instances
 * recovered too), counters of this instance's recoveries, resyncs, conflicts and escalations, and the
 * time each phase of a recovery transaction takes.
 */
@ApplicationScoped
public class DaemonMetrics {

    /** The phases of a recovery transaction, timed separately: a slow cycle shows which one is slow. */
    public enum Phase {
        /** Reading the replicas of the zones locked for the recovery. */
        READ,
        /** The maths, in memory on the event loop (consensus, divergences, moves). */
        PLAN,
        /** The batched, version-checked update of the replicas. */
        RESYNC,
        /** Building and inserting the records, path points, zone rows and escalations. */
        WRITE
    }

    private final MeterRegistry registry;
    private final Pool pool;
    private final ZoneRepository zones;
    private final Map<String, Double> divergence = new ConcurrentHashMap<>();
    private final Map<ZoneStatus, AtomicLong> byStatus = new EnumMap<>(ZoneStatus.class);
    private final Map<Phase, Timer> phases = new EnumMap<>(Phase.class);
    private final Counter recoveries;
    private final Counter applied;
    private final Counter conflicts;
    /** The gauges this bean registered, removed with it (see {@link #unregister()}). */
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();
    private final Map<String, Meter> zoneGauges = new ConcurrentHashMap<>();
    /**
     * Refreshes that recoveries ask for while one runs share the next one (it starts after they committed):
     * the read of every zone ran once per recovery before (issue 10), and two at once could race on the gauges.
     */
    private final Coalesced<Void> refresh = new Coalesced<>(this::refreshNow);
    @jakarta.inject.Inject
    io.mythos.daemon.config.DaemonConfig config;

    public DaemonMetrics(MeterRegistry registry, Pool pool, ZoneRepository zones) {
        this.registry = registry;
        this.pool = pool;
        this.zones = zones;
        for (ZoneStatus s : ZoneStatus.values()) {
            AtomicLong n = new AtomicLong();
            byStatus.put(s, n);
            gauges.add(Gauge.builder("mythos.daemon.zones", n, AtomicLong::get).tag("status", WireEnum.wireName(s))
                    .description("Belief zones by status").strongReference(true).register(registry));
        }
        for (Phase p : Phase.values()) {
            phases.put(p, Timer.builder("mythos.daemon.recovery.phase").tag("phase", WireEnum.wireName(p))
                    .description("Time spent in each phase of a recovery transaction").register(registry));
        }
        recoveries = Counter.builder("mythos.daemon.recoveries").description("Recovery records written")
                .register(registry);
        applied = Counter.builder("mythos.daemon.resyncs.applied").description("Replica resyncs applied")
                .register(registry);
        conflicts = Counter.builder("mythos.daemon.resyncs.conflicts")
                .description("Resyncs lost to a newer report (retried next cycle)").register(registry);
    }

    /** Times {@code step} from its subscription to its item or failure, under {@code phase}. */
    <T> Uni<T> timed(Phase phase, Supplier<Uni<T>> step) {
        return Uni.createFrom().deferred(() -> {
            long start = System.nanoTime();
            return step.get().onTermination()
                    .invoke(() -> phases.get(phase).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        });
    }

    void recorded(ZoneRecoveryService.CycleResult result) {
        recoveries.increment(result.records().size());
        applied.increment(result.applied());
        conflicts.increment(result.conflicts());
    }

    /** Outcome of one escalation call (tag {@code outcome}: sent, rejected or failed). */
    void escalation(EscalationOutcome outcome) {
        registry.counter("mythos.daemon.escalations", "outcome", WireEnum.wireName(outcome)).increment();
    }

    /**
     * A registry can outlive this bean (a restart of the application in one JVM, as the tests do):
     * registering a gauge again would then return the old one, bound to a dead bean's state.
     */
    @PreDestroy
    void unregister() {
        gauges.forEach(registry::remove);
    }

    /**
     * Zone names come from clients: only the {@code mythos.daemon.metrics.top-zones} zones of highest
     * divergence have a divergence gauge of their own (DESIGN.md "Limits and isolation"); the zones per
     * status count them all.
     */
    Uni<Void> refresh() {
        return refresh.run();
    }

    private Uni<Void> refreshNow() {
        return zones.statuses(pool).invoke(list -> {
            Map<ZoneStatus, Long> counts = new EnumMap<>(ZoneStatus.class);
            for (ZoneLevel c : list) {
                counts.merge(c.status(), 1L, Long::sum);
            }
            List<ZoneLevel> top = list.stream()
                    .sorted(java.util.Comparator.comparingDouble(ZoneLevel::divergence).reversed().thenComparing(ZoneLevel::zone))
                    .limit(Math.max(0, config.metrics().topZones())).toList();
            java.util.Set<String> keep = new java.util.HashSet<>();
            for (ZoneLevel c : top) {
                keep.add(c.zone());
                if (divergence.put(c.zone(), c.divergence()) == null) {
                    Meter g = Gauge.builder("mythos.daemon.zone.divergence", divergence, m -> m.getOrDefault(c.zone(), 0.0))
                            .tag("zone", c.zone()).description("A zone's divergence at its last check (top zones only)")
                            .strongReference(true).register(registry);
                    gauges.add(g);
                    zoneGauges.put(c.zone(), g);
                }
            }
            for (String gone : java.util.Set.copyOf(zoneGauges.keySet())) {
                if (!keep.contains(gone)) {
                    Meter g = zoneGauges.remove(gone);
                    divergence.remove(gone);
                    gauges.remove(g);
                    registry.remove(g);
                }
            }
            byStatus.forEach((s, n) -> n.set(counts.getOrDefault(s, 0L)));
        }).replaceWithVoid();
    }
}
