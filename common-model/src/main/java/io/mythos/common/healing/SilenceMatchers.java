package io.mythos.common.healing;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a silence matches: every matcher given must equal the firing's; at least one is required. */
@Schema(name = "SilenceMatchers")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SilenceMatchers(
        @Size(min = 1, max = 150) @Schema(example = "node-7") String nodeId,
        @Size(min = 1, max = 150) @Schema(example = "a1") String assistantId,
        @Size(min = 1, max = 150) @Schema(example = "g1", description = "the assistant's group") String group,
        SignalKind triggeredBy) {

    public boolean isEmpty() {
        return nodeId == null && assistantId == null && group == null && triggeredBy == null;
    }
}
