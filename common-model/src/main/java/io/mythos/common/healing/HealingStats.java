package io.mythos.common.healing;

import java.time.OffsetDateTime;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code GET /system/health/stats}: the events created in [from, to], counted per status and per
 * trigger, and per trigger the share of verified repairs that were effective.
 */
@Schema(name = "HealingStats")
public record HealingStats(
        OffsetDateTime from,
        OffsetDateTime to,
        long windowSeconds,
        long total,
        @Schema(description = "every status, 0 when none") Map<String, Long> byStatus,
        @Schema(description = "every trigger") Map<String, TriggerStats> byTrigger) {

    /** One trigger's figures; {@code effectiveness} = effective / (effective + ineffective), null when none is decided. */
    @Schema(name = "TriggerStats")
    public record TriggerStats(
            long total,
            Map<String, Long> byStatus,
            long effective,
            long ineffective,
            @Schema(description = "resolved, still in their verification window") long verifying,
            Double effectiveness) {
    }
}
