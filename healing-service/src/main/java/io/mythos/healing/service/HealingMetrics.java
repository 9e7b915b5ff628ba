package io.mythos.healing.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mythos.common.healing.ActionStatus;
import io.mythos.common.healing.ActionType;
import io.mythos.common.healing.SignalKind;
import io.mythos.healing.engine.Signal;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.engine.Effectiveness;
import io.mythos.healing.repository.EventRepository;
import io.mythos.healing.repository.StatsRepository;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicReference;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's Prometheus figures: {@code mythos_healing_signals_total{kind}},
 * {@code mythos_healing_events_fired_total{triggered_by}} (events opened),
 * {@code mythos_healing_repair_actions_total{type,outcome}} (outcome succeeded, skipped, failed or retried)
 * the gauge {@code mythos_healing_events_active}, and for remediation safety the gauges
 * {@code mythos_healing_repair_effectiveness{triggered_by}} (share of the verified repairs of the events
 * created within mythos.healing.effectiveness-window that were effective; NaN while none is verified) and
 * {@code mythos_healing_repair_actions_held} (actions held by a storm).
 */
@ApplicationScoped
public class HealingMetrics {

    private final MeterRegistry registry;
    private final EventRepository events;
    private final Map<SignalKind, Counter> signals = new EnumMap<>(SignalKind.class);
    private final Map<SignalKind, Counter> fired = new EnumMap<>(SignalKind.class);
    private final AtomicLong active = new AtomicLong();
    private final Gauge activeGauge;
    private final StatsRepository stats;
    private final Duration effectivenessWindow;
    private final Map<SignalKind, AtomicReference<Double>> effectiveness = new EnumMap<>(SignalKind.class);
    private final AtomicLong held = new AtomicLong();
    private final List<Gauge> safetyGauges = new ArrayList<>();

    public HealingMetrics(MeterRegistry registry, EventRepository events, StatsRepository stats, HealingConfig config) {
        this.registry = registry;
        this.events = events;
        this.stats = stats;
        this.effectivenessWindow = config.effectivenessWindow();
        for (SignalKind kind : SignalKind.values()) {
            AtomicReference<Double> share = new AtomicReference<>(Double.NaN);
            effectiveness.put(kind, share);
            safetyGauges.add(Gauge.builder("mythos.healing.repair.effectiveness", share, AtomicReference::get)
                    .description("Share of the verified repairs that were effective, by trigger (NaN while none is verified)")
                    .tag("triggered_by", WireEnum.wireName(kind)).strongReference(true).register(registry));
        }
        safetyGauges.add(Gauge.builder("mythos.healing.repair.actions.held", held, AtomicLong::get)
                .description("Repair actions held by a storm").strongReference(true).register(registry));
        for (SignalKind kind : SignalKind.values()) {
            signals.put(kind, Counter.builder("mythos.healing.signals").description("Signals stored, by kind")
                    .tag("kind", WireEnum.wireName(kind)).register(registry));
            fired.put(kind, Counter.builder("mythos.healing.events.fired").description("Healing events opened, by trigger")
                    .tag("triggered_by", WireEnum.wireName(kind)).register(registry));
        }
        activeGauge = Gauge.builder("mythos.healing.events.active", active, AtomicLong::get)
                .description("Healing events in status active").strongReference(true).register(registry);
    }

    /**
     * A registry can outlive this bean (a restart of the application in one JVM, as the tests do):
     * registering the gauge again would then return the old one, bound to a dead bean's counter.
     */
    @PreDestroy
    void unregister() {
        registry.remove(activeGauge);
        safetyGauges.forEach(registry::remove);
    }

    public void signalsStored(List<Signal> stored) {
        Map<SignalKind, Integer> perKind = new EnumMap<>(SignalKind.class);
        stored.forEach(s -> perKind.merge(s.kind(), 1, Integer::sum));
        perKind.forEach((kind, count) -> signals.get(kind).increment(count));
    }

    /** Signals of requests refused because the signal queue was full. */
    public void signalsRefused(int count) {
        registry.counter("mythos.healing.signals.refused").increment(count);
    }

    public void eventOpened(SignalKind trigger) {
        fired.get(trigger).increment();
    }

    /** {@code status} is the action's status after the call; pending means it will be retried. */
    public void actionOutcome(ActionType type, ActionStatus status) {
        String outcome = status == ActionStatus.PENDING ? "retried" : WireEnum.wireName(status);
        registry.counter("mythos.healing.repair.actions", "type", WireEnum.wireName(type), "outcome", outcome).increment();
    }

    public Uni<Void> refreshActive() {
        return events.countActive().invoke(active::set)
                .chain(stats::countHeld).invoke(held::set)
                .chain(() -> {
                    OffsetDateTime to = OffsetDateTime.now();
                    return stats.counts(to.minus(effectivenessWindow), to);
                })
                .invoke(counts -> {
                    for (SignalKind kind : SignalKind.values()) {
                        long good = 0;
                        long bad = 0;
                        for (StatsRepository.Count c : counts) {
                            if (c.trigger() == kind) {
                                good += c.effective();
                                bad += c.ineffective();
                            }
                        }
                        Double share = Effectiveness.share(good, bad);
                        effectiveness.get(kind).set(share == null ? Double.NaN : share);
                    }
                })
                .replaceWithVoid();
    }
}
