package io.mythos.common.healing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PUT /system/health/rules/{kind}}; a null threshold lets every signal of the kind qualify;
 * an absent {@code verify_seconds} or {@code max_ineffective} takes its default (120, 3).
 */
@Schema(name = "RuleRequest")
public record RuleRequest(
        @DecimalMin("0.0") @DecimalMax("1.0") @Schema(example = "0.8") Double threshold,
        @NotNull @Min(0) @Max(86400) @Schema(example = "60") Integer windowSeconds,
        @NotNull @Min(1) @Max(100000) @Schema(example = "3") Integer minOccurrences,
        @NotNull @Min(0) @Max(86400) @Schema(example = "30") Integer cooldownSeconds,
        @Min(0) @Max(86400) @Schema(example = "120", description = "default 120") Integer verifySeconds,
        @Min(1) @Max(1000) @Schema(example = "3", description = "default 3") Integer maxIneffective) {

    /** The four fields of the first version; verification and the flapping guard take their defaults. */
    public RuleRequest(Double threshold, Integer windowSeconds, Integer minOccurrences, Integer cooldownSeconds) {
        this(threshold, windowSeconds, minOccurrences, cooldownSeconds, null, null);
    }
}
