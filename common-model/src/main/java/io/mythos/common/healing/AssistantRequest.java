package io.mythos.common.healing;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code PUT /assistants/{assistant_id}}. */
@Schema(name = "AssistantRequest")
public record AssistantRequest(
        @NotBlank @Size(max = 150) @Schema(example = "Oracle of Delphi") String name,
        @NotBlank @Size(max = 150) @Schema(example = "oracles", description = "the load balancer's assistant group") String group,
        @NotBlank @Size(max = 150) @Schema(example = "zone-a", description = "the daemon's belief zone") String zone) {
}
