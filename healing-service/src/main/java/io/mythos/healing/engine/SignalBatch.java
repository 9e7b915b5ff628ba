package io.mythos.healing.engine;

import io.mythos.common.healing.EventStatus;
import io.mythos.common.healing.SignalRequest;
import io.mythos.common.healing.SignalResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The signal requests written together by one transaction, and what each of them is answered. Each
 * request is all-or-nothing: one naming an unregistered assistant is rejected whole, and the others of
 * the batch are stored.
 */
public final class SignalBatch {

    /** What became of one request: its answer, or the unregistered assistants that rejected it. */
    public record Outcome(SignalResponse response, Set<String> unknownAssistants) {
    }

    /** The event a group was counted on, whether counting it opened that event, and the event's status. */
    public record CountedOn(UUID eventId, boolean opened, EventStatus status) {

        public CountedOn(UUID eventId, boolean opened) {
            this(eventId, opened, EventStatus.ACTIVE);
        }
    }

    private final List<List<SignalRequest>> requests;
    private final List<Signal> signals = new ArrayList<>();
    /** The rejected requests, with the unregistered assistants each names. */
    private final Map<Integer, Set<String>> rejected = new HashMap<>();

    private SignalBatch(List<List<SignalRequest>> requests) {
        this.requests = requests;
        for (int r = 0; r < requests.size(); r++) {
            for (SignalRequest s : requests.get(r)) {
                signals.add(new Signal(signals.size(), r, s.nodeId(), s.assistantId(), s.kind(), s.value(), s.observedAt(),
                        s.detail()));
            }
        }
    }

    public static SignalBatch of(List<List<SignalRequest>> requests) {
        return new SignalBatch(requests);
    }

    /** Every signal of the batch, numbered in request order. */
    public List<Signal> signals() {
        return signals;
    }

    /** The assistants the batch names, each once. */
    public Set<String> assistantIds() {
        Set<String> ids = new LinkedHashSet<>();
        signals.forEach(s -> ids.add(s.assistantId()));
        return ids;
    }

    /** Rejects the request that names this unregistered assistant. */
    public void reject(int request, String assistantId) {
        rejected.computeIfAbsent(request, r -> new TreeSet<>()).add(assistantId);
    }

    /** Rejects every request that names an assistant outside {@code registered}. */
    public void rejectUnknown(Set<String> registered) {
        for (Signal s : signals) {
            if (!registered.contains(s.assistantId())) {
                reject(s.request(), s.assistantId());
            }
        }
    }

    /** The signals of the requests not rejected: those stored. */
    public List<Signal> accepted() {
        if (rejected.isEmpty()) {
            return signals;
        }
        List<Signal> accepted = new ArrayList<>(signals.size());
        for (Signal s : signals) {
            if (!rejected.containsKey(s.request())) {
                accepted.add(s);
            }
        }
        return accepted;
    }

    /**
     * Each request's answer: a rejected one names its unregistered assistants; an accepted one lists
     * every event its firing signals were counted on, once, in the order of its signals, and is told
     * "new" for an event this batch opened when it holds the event's first signal.
     * {@code countedOn.get(i)} is where {@code groups.get(i)} was counted.
     */
    public List<Outcome> outcomes(List<FiringGroup> groups, List<CountedOn> countedOn) {
        FiringGroup[] groupOf = new FiringGroup[signals.size()];
        for (FiringGroup g : groups) {
            g.signals().forEach(s -> groupOf[s.ord()] = g);
        }
        // by group ord: a record key would hash the group's whole signal list at every signal
        List<Map<Integer, SignalResponse.Fired>> fired = new ArrayList<>();
        requests.forEach(r -> fired.add(new LinkedHashMap<>()));
        for (Signal s : signals) {
            FiringGroup g = groupOf[s.ord()];
            if (g == null || rejected.containsKey(s.request())) {
                continue;
            }
            CountedOn event = countedOn.get(g.ord());
            boolean isNew = event.opened() && g.first().ord() == s.ord();
            fired.get(s.request()).merge(g.ord(), new SignalResponse.Fired(event.eventId(), g.nodeId(), g.trigger(), isNew),
                    (a, b) -> a.isNew() ? a : b);
        }
        List<Outcome> outcomes = new ArrayList<>(requests.size());
        for (int r = 0; r < requests.size(); r++) {
            Set<String> unknown = rejected.get(r);
            outcomes.add(unknown != null ? new Outcome(null, unknown)
                    : new Outcome(new SignalResponse(requests.get(r).size(), new ArrayList<>(fired.get(r).values())), Set.of()));
        }
        return outcomes;
    }
}
