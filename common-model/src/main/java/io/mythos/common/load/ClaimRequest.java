package io.mythos.common.load;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /system/load/tasks/claim}. */
public record ClaimRequest(@NotBlank @Size(max = 150) @Schema(example = "worker-1") String worker) {
}
