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
        OffsetDateTime updatedAt) {
}
