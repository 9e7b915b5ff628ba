package io.mythos.common.healing;

import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * When a signal kind fires a self-healing protocol: at least {@code min_occurrences} signals of the
 * node within {@code window_seconds} whose value is at least {@code threshold} (when a threshold is set).
 */
@Schema(name = "Rule")
public record Rule(
        SignalKind kind,
        @Schema(example = "0.8", description = "null: every signal of the kind qualifies") Double threshold,
        @Schema(example = "60") int windowSeconds,
        @Schema(example = "1") int minOccurrences,
        @Schema(example = "30") int cooldownSeconds,
        @Schema(description = "config: from application.properties; api: set by PUT") String source,
        OffsetDateTime updatedAt,
        @Schema(example = "120", description = "how long a resolved event is watched for a recurrence") int verifySeconds,
        @Schema(example = "3", description = "ineffective repairs within an hour after which the next event is escalated")
        int maxIneffective) {
}
