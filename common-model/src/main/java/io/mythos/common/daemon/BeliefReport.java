package io.mythos.common.daemon;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One replica's report ({@code POST /system/daemon/zones/{zone}/beliefs}): it replaces the replica's beliefs. */
@Schema(name = "BeliefReport")
public record BeliefReport(
        @NotBlank @Size(max = 150) @Schema(example = "a1") String assistantId,
        @NotNull @Size(min = 1, max = 1000) @Schema(example = "{\"sky_is_blue\": 0.9, \"water_is_wet\": 0.8}")
        Map<@NotNull @Size(min = 1, max = 150) String,
                @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double> beliefs) {
}
