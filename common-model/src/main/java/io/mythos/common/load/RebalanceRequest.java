package io.mythos.common.load;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /system/load/rebalance}: the scope (a group, an assistant, or everything when
 * both are absent) and the planner's knobs.
 */
@Schema(name = "RebalanceRequest")
public record RebalanceRequest(
        @Size(min = 1, max = 150) @Schema(example = "oracles") String group,
        @Size(min = 1, max = 150) @Schema(example = "a1") String assistantId,
        @Schema(defaultValue = "false") Boolean dryRun,
        @Min(0) @Max(10000) Integer maxMoves,
        @DecimalMin("1.0") @DecimalMax("100.0") @Schema(defaultValue = "1.05") Double targetImbalance) {

    public static RebalanceRequest forGroup(String group) {
        return new RebalanceRequest(group, null, false, null, null);
    }

    public static RebalanceRequest forAssistant(String assistantId) {
        return new RebalanceRequest(null, assistantId, false, null, null);
    }
}
