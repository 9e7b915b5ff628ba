package io.mythos.healing.engine;

import io.mythos.common.healing.SignalKind;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A silence in force, as the engine matches it: each matcher that is set (not null) must equal the
 * firing's node, assistant, assistant group or trigger.
 */
public record ActiveSilence(UUID id, String nodeId, String assistantId, String group, SignalKind trigger, OffsetDateTime endsAt) {

    public boolean matches(String firingNode, String firingAssistant, String firingGroup, SignalKind firingTrigger) {
        return (nodeId == null || nodeId.equals(firingNode))
                && (assistantId == null || assistantId.equals(firingAssistant))
                && (group == null || group.equals(firingGroup))
                && (trigger == null || trigger == firingTrigger);
    }
}
