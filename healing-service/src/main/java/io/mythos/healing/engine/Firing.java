package io.mythos.healing.engine;

import io.mythos.common.healing.SignalKind;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When signals fire a self-healing protocol, decided without the database: which signals qualify, which
 * fire alone and which need the count of their window, which fire once the stored signals are counted,
 * and how the firing signals of a batch are counted together, one group per (node, trigger).
 * Counting the stored signals, and counting each group on its node's one active event, are the
 * database's part (see SignalRepository): there the invariants hold across transactions and instances.
 */
public final class Firing {

    private Firing() {
    }

    /** A qualifying signal whose rule needs several occurrences: the signals of its window must be counted. */
    public record WindowProbe(Signal signal, FiringRule rule) {

        /** The window's first instant; it ends at the signal's own observation time, both ends included. */
        public OffsetDateTime from() {
            return signal.observedAt().minusSeconds(rule.windowSeconds());
        }

        boolean contains(Signal other) {
            return other.nodeId().equals(signal.nodeId()) && other.kind() == signal.kind()
                    && !other.observedAt().isBefore(from()) && !other.observedAt().isAfter(signal.observedAt());
        }
    }

    /** The qualifying signals of a batch: those that fire on their own, and those whose window must be counted. */
    public record Plan(List<Signal> firingAlone, List<WindowProbe> probes) {
    }

    /**
     * Whether no signal of the batch can fire under the rules as last read, the common case. A kind
     * without a rule is not known to be harmless, so it counts as one that can fire.
     */
    public static boolean cannotFire(List<Signal> signals, Map<SignalKind, FiringRule> rules) {
        for (Signal s : signals) {
            FiringRule rule = rules.get(s.kind());
            if (rule == null || rule.qualifies(s.value())) {
                return false;
            }
        }
        return true;
    }

    /** Sorts the batch's signals: below their rule's threshold (nothing to do), firing alone, or to be counted. */
    public static Plan plan(List<Signal> signals, Map<SignalKind, FiringRule> rules) {
        List<Signal> alone = new ArrayList<>();
        List<WindowProbe> probes = new ArrayList<>();
        for (Signal s : signals) {
            FiringRule rule = rules.get(s.kind());
            if (rule == null || !rule.qualifies(s.value())) {
                continue;
            }
            if (rule.needsWindow()) {
                probes.add(new WindowProbe(s, rule));
            } else {
                alone.add(s);
            }
        }
        return new Plan(alone, probes);
    }

    /**
     * The signals that fire, in batch order. {@code storedCounts} holds, by signal {@code ord}, the
     * qualifying signals of each probe's window stored before this batch; to them are added the batch's
     * own qualifying signals of that node and kind up to and including the probe, as if the batch's
     * signals had arrived one by one in their order. A signal never counts later signals of its batch.
     */
    public static List<Signal> firing(Plan plan, Map<Integer, Long> storedCounts) {
        List<Signal> firing = new ArrayList<>(plan.firingAlone());
        for (WindowProbe p : plan.probes()) {
            long count = storedCounts.getOrDefault(p.signal().ord(), 0L);
            for (WindowProbe earlier : plan.probes()) {
                if (earlier.signal().ord() <= p.signal().ord() && p.contains(earlier.signal())) {
                    count++;
                }
            }
            if (count >= p.rule().minOccurrences()) {
                firing.add(p.signal());
            }
        }
        firing.sort(Comparator.comparingInt(Signal::ord));
        return firing;
    }

    /**
     * The firing signals grouped per (node, trigger), each group counted on one event. The groups come
     * sorted by node, then trigger, and are numbered in that order: concurrent batches then take the
     * locks of their events in one order.
     */
    public static List<FiringGroup> group(List<Signal> firing, Map<SignalKind, FiringRule> rules) {
        Map<String, Map<SignalKind, List<Signal>>> byNode = new LinkedHashMap<>();
        for (Signal s : firing) {
            byNode.computeIfAbsent(s.nodeId(), n -> new LinkedHashMap<>()).computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s);
        }
        List<String> nodes = new ArrayList<>(byNode.keySet());
        nodes.sort(Comparator.naturalOrder());
        List<FiringGroup> groups = new ArrayList<>();
        for (String node : nodes) {
            Map<SignalKind, List<Signal>> byKind = byNode.get(node);
            for (SignalKind kind : SignalKind.values()) {
                List<Signal> signals = byKind.get(kind);
                if (signals != null) {
                    groups.add(new FiringGroup(groups.size(), node, kind, List.copyOf(signals), rules.get(kind).cooldownSeconds()));
                }
            }
        }
        return groups;
    }
}
