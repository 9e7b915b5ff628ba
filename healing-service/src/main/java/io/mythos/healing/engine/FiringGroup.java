package io.mythos.healing.engine;

import io.mythos.common.healing.SignalKind;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The firing signals of one node and trigger in a batch (in batch order), counted together on one
 * event: the active one, else one that ended within the cooldown, else a new one. {@code ord} is the
 * group's position among the batch's groups.
 */
public record FiringGroup(int ord, String nodeId, SignalKind trigger, List<Signal> signals, int cooldownSeconds) {

    public int count() {
        return signals.size();
    }

    /** The group's first signal in batch order: its request is the one told that a new event was opened. */
    public Signal first() {
        return signals.get(0);
    }

    /** A new event belongs to the assistant of the group's first signal. */
    public String assistantId() {
        return first().assistantId();
    }

    public OffsetDateTime lastObservedAt() {
        OffsetDateTime last = first().observedAt();
        for (Signal s : signals) {
            if (s.observedAt().isAfter(last)) {
                last = s.observedAt();
            }
        }
        return last;
    }

    /**
     * The cooldown: an ended event of this node and trigger whose end is at or after this instant (the
     * group's latest observation less the rule's cooldown) takes the group's signals; no new event opens.
     */
    public OffsetDateTime cooldownFrom() {
        return lastObservedAt().minusSeconds(cooldownSeconds);
    }
}
