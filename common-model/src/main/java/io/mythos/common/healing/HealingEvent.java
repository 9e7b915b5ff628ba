package io.mythos.common.healing;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A self-healing protocol fired for one node (the seed's SelfHealingProtocolEngine model). */
@Schema(name = "HealingEvent")
public record HealingEvent(
        UUID id,
        @Schema(example = "node-7") String nodeId,
        SignalKind triggeredBy,
        @Schema(example = "a1") String assistantId,
        EventStatus status,
        @Schema(description = "firing signals counted on this event") int occurrences,
        List<RepairAction> repairActions,
        @Schema(description = "mean improvement reported by the succeeded actions; null until one succeeds")
        Double symbolicHealthDelta,
        OffsetDateTime createdAt,
        OffsetDateTime resolvedAt,
        @Schema(description = "verification of a resolved event: null until decided, false when its trigger fired again "
                + "for the node within verify_seconds, true after the window without recurrence")
        Boolean effective,
        @Schema(description = "firings of the trigger for the node within the verification window after this event resolved")
        int recurrences,
        @Schema(description = "why an event is escalated or silenced; null otherwise") String reason) {
}
