package io.mythos.common.healing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PUT /system/health/rules/{kind}}; a null threshold lets every signal of the kind qualify. */
@Schema(name = "RuleRequest")
public record RuleRequest(
        @DecimalMin("0.0") @DecimalMax("1.0") @Schema(example = "0.8") Double threshold,
        @NotNull @Min(0) @Max(86400) @Schema(example = "60") Integer windowSeconds,
        @NotNull @Min(1) @Max(100000) @Schema(example = "3") Integer minOccurrences,
        @NotNull @Min(0) @Max(86400) @Schema(example = "30") Integer cooldownSeconds) {
}
