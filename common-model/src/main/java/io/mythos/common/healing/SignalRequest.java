package io.mythos.common.healing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One health signal ({@code POST /system/health/signals}, alone or in an array). {@code value} is
 * required for {@code entropy_spike}; the healing service checks that rule.
 */
@Schema(name = "Signal")
public record SignalRequest(
        @NotBlank @Size(max = 150) @Schema(example = "node-7") String nodeId,
        @NotBlank @Size(max = 150) @Schema(example = "a1") String assistantId,
        @NotNull @Schema(example = "entropy_spike") SignalKind kind,
        @DecimalMin("0.0") @DecimalMax("1.0") @Schema(example = "0.92") Double value,
        OffsetDateTime observedAt,
        @Size(max = 2000) String detail) {
}
