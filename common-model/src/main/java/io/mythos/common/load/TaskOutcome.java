package io.mythos.common.load;

import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Optional body of {@code POST /system/load/tasks/{task_id}/complete} and {@code /fail}: when
 * {@code worker} is given it must be the task's current claimant.
 */
public record TaskOutcome(@Size(min = 1, max = 150) @Schema(example = "worker-1") String worker,
                          @Size(max = 500) @Schema(example = "shard store unavailable") String reason) {
}
