package io.mythos.common.healing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One repair a healing event asks of a peer. {@code id} is also the {@code Idempotency-Key} of every
 * call made for it; {@code result} is the peer's answer to the successful call.
 */
@Schema(name = "RepairAction")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RepairAction(
        UUID id,
        ActionType type,
        @Schema(description = "the group, zone or assistant the repair is for", example = "zone-a") String target,
        ActionStatus status,
        int attempts,
        @Schema(description = "pressure_reduction or recovery_score of the peer's answer") Double improvement,
        JsonNode result,
        String lastError,
        @Schema(description = "when a pending action is tried next") OffsetDateTime nextAttemptAt,
        @Schema(description = "why a held action waits", example = "storm") String reason) {
}
