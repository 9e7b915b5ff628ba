package io.mythos.healing.engine;

import io.mythos.common.healing.EventStatus;
import io.mythos.common.healing.SignalKind;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * How a new event of a (node, trigger) opens, decided before it is written: silenced when a silence in
 * force matches it (nothing is repaired, nothing is lost), escalated when the node's repairs for this
 * trigger were ineffective {@code max_ineffective} times within the flapping window (no repair: a human
 * looks), active otherwise (its repairs run, unless the storm guard holds them).
 */
public record Opening(EventStatus status, String reason, UUID silenceId, OffsetDateTime silencedUntil) {

    public static final Opening ACTIVE = new Opening(EventStatus.ACTIVE, null, null, null);

    public boolean repairs() {
        return status == EventStatus.ACTIVE;
    }

    /**
     * The decision for one firing. A silence wins over the flapping guard: during a maintenance window
     * nothing is escalated either. Of several matching silences, the one ending last ends the event.
     */
    public static Opening decide(String nodeId, SignalKind trigger, String assistantId, String group,
                                 List<ActiveSilence> silences, long ineffectiveRecently, int maxIneffective) {
        ActiveSilence silence = null;
        for (ActiveSilence s : silences) {
            if (s.matches(nodeId, assistantId, group, trigger) && (silence == null || s.endsAt().isAfter(silence.endsAt()))) {
                silence = s;
            }
        }
        if (silence != null) {
            return new Opening(EventStatus.SILENCED, "silenced by " + silence.id() + " until " + silence.endsAt(),
                    silence.id(), silence.endsAt());
        }
        if (ineffectiveRecently >= maxIneffective) {
            return new Opening(EventStatus.ESCALATED, "repairs of " + trigger.name().toLowerCase(java.util.Locale.ROOT) + " on this node were ineffective "
                    + ineffectiveRecently + " times within the flapping window (max_ineffective " + maxIneffective
                    + "): not repaired again until an operator resolves this event", null, null);
        }
        return ACTIVE;
    }
}
