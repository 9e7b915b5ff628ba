package io.mythos.common.healing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code POST /system/health/silences}: a maintenance window. {@code starts_at} defaults to now;
 * {@code ends_at} must lie after it and after now, at most 365 days ahead.
 */
@Schema(name = "SilenceRequest")
public record SilenceRequest(
        @NotNull @Valid SilenceMatchers matchers,
        @Schema(description = "default: now") OffsetDateTime startsAt,
        @NotNull OffsetDateTime endsAt,
        @NotBlank @Size(max = 1000) @Schema(example = "kernel upgrade of node-7") String comment) {
}
