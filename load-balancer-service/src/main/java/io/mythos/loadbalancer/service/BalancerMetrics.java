package io.mythos.loadbalancer.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mythos.common.load.LoadMapView.GroupView;
import io.mythos.common.load.TaskStatus;
import io.mythos.platform.web.WireEnum;
import jakarta.enterprise.context.ApplicationScoped;
import io.mythos.loadbalancer.config.BalancerConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus figures: per group the max utilization and imbalance (refreshed on every change of the
 * map), counters of plans, applied moves and task transitions, and the number of open SSE streams.
 */
@ApplicationScoped
public class BalancerMetrics {

    static final String GROUP_MAX = "mythos.load-balancer.group.max.utilization";
    static final String GROUP_IMBALANCE = "mythos.load-balancer.group.imbalance";

    /** A group's two gauges' values, as the bits of doubles (Micrometer reads them when scraped). */
    private record GroupGauges(AtomicLong maxUtilization, AtomicLong imbalance) {
    }

    private final MeterRegistry registry;
    private final Map<String, GroupGauges> groups = new ConcurrentHashMap<>();
    private final AtomicInteger streams = new AtomicInteger();

    private final int topGroups;
    private final AtomicInteger groupCount = new AtomicInteger();

    public BalancerMetrics(MeterRegistry registry, BalancerConfig config) {
        this.registry = registry;
        this.topGroups = Math.max(0, config.metrics().topGroups());
        Gauge.builder("mythos.load-balancer.stream.subscribers", streams, AtomicInteger::get)
                .description("Open GET /system/load/stream connections").register(registry);
        Gauge.builder("mythos.load-balancer.groups", groupCount, AtomicInteger::get)
                .description("Groups in the load map (the per-group gauges cover only the top N by max utilization)")
                .register(registry);
    }

    /**
     * Group names come from clients: only the {@code mythos.load-balancer.metrics.top-groups} groups of highest
     * max utilization have gauges of their own (DESIGN.md "Limits and isolation"), the others drop theirs;
     * {@code mythos_load_balancer_groups} counts them all.
     */
    public synchronized void groups(List<GroupView> all) {
        groupCount.set(all.size());
        List<GroupView> views = all.stream()
                .sorted(java.util.Comparator.comparingDouble(GroupView::maxUtilization).reversed()
                        .thenComparing(GroupView::group))
                .limit(topGroups).toList();
        Set<String> present = new HashSet<>();
        for (GroupView v : views) {
            present.add(v.group());
            GroupGauges gauges = groups.computeIfAbsent(v.group(), this::register);
            gauges.maxUtilization().set(Double.doubleToLongBits(v.maxUtilization()));
            gauges.imbalance().set(Double.doubleToLongBits(v.imbalance()));
        }
        for (String gone : Set.copyOf(groups.keySet())) {
            if (!present.contains(gone)) {
                groups.remove(gone);
                for (String name : List.of(GROUP_MAX, GROUP_IMBALANCE)) {
                    Meter m = registry.find(name).tag("group", gone).gauge();
                    if (m != null) {
                        registry.remove(m);
                    }
                }
            }
        }
    }

    private GroupGauges register(String group) {
        GroupGauges gauges = new GroupGauges(new AtomicLong(), new AtomicLong());
        Gauge.builder(GROUP_MAX, gauges.maxUtilization(), x -> Double.longBitsToDouble(x.get())).tag("group", group)
                .description("Max utilization of the assistants of a group").register(registry);
        Gauge.builder(GROUP_IMBALANCE, gauges.imbalance(), x -> Double.longBitsToDouble(x.get())).tag("group", group)
                .description("Max over mean utilization of a group").register(registry);
        return gauges;
    }

    public void plan(boolean applied, int moves) {
        Counter.builder("mythos.load-balancer.plans").tag("applied", String.valueOf(applied))
                .description("Rebalance plans computed").register(registry).increment();
        if (applied) {
            Counter.builder("mythos.load-balancer.moves").description("Codex moves applied").register(registry).increment(moves);
        }
    }

    public void tasks(TaskStatus status, int n) {
        if (n > 0) {
            Counter.builder("mythos.load-balancer.tasks").tag("status", WireEnum.wireName(status))
                    .description("Decentralization tasks entering a status").register(registry).increment(n);
        }
    }

    void streamOpened() {
        streams.incrementAndGet();
    }

    void streamClosed() {
        streams.decrementAndGet();
    }

    public int openStreams() {
        return streams.get();
    }
}
