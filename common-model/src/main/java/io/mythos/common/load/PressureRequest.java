package io.mythos.common.load;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import io.mythos.common.web.Limits;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /system/load/pressure}: a partial upsert of the load map. Every list is optional;
 * an entry replaces the stored one with the same id.
 */
@Schema(name = "PressureRequest")
public record PressureRequest(
        @Size(max = 10000) List<@NotNull @Valid AssistantLoad> assistants,
        @Size(max = 10000) List<@NotNull @Valid CodexLoad> codices,
        @Size(max = 10000) List<@NotNull @Valid RitualLoad> rituals) {

    public record AssistantLoad(
            @NotBlank @Size(max = 150) @Schema(example = "a1") String assistantId,
            @NotBlank @Size(max = 150) @Schema(example = "oracles") String group,
            @NotNull @Positive @DecimalMin(Limits.MIN_CAPACITY) @DecimalMax(Limits.MAX_AMOUNT)
            @Schema(example = "10", minimum = "1e-6", maximum = "1e9") Double capacity,
            @NotNull @DecimalMin("0.0") @DecimalMax("1.0") @Schema(example = "0.2") Double memoryEntropy) {
    }

    /** {@code read_mostly}: a codex too heavy to move gets a {@code replicate} task instead of a {@code split}. */
    public record CodexLoad(
            @NotBlank @Size(max = 150) @Schema(example = "c1") String codexId,
            @NotBlank @Size(max = 150) @Schema(example = "a1") String assistantId,
            @NotNull @PositiveOrZero @DecimalMax(Limits.MAX_AMOUNT) @Schema(example = "4.5", maximum = "1e9") Double pressure,
            @Schema(defaultValue = "false") Boolean readMostly) {
    }

    public record RitualLoad(
            @NotBlank @Size(max = 150) @Schema(example = "r1") String ritualId,
            @NotBlank @Size(max = 150) @Schema(example = "a1") String assistantId,
            @NotNull @PositiveOrZero @DecimalMax(Limits.MAX_AMOUNT) @Schema(example = "2", maximum = "1e9") Double density,
            @NotNull RitualPriority priority) {
    }
}
