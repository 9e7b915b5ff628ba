package io.mythos.common.healing;

import java.time.OffsetDateTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A registered assistant, as answered by the healing service's registry. */
@Schema(name = "Assistant")
public record Assistant(
        @Schema(example = "a1") String assistantId,
        @Schema(example = "Oracle of Delphi") String name,
        @Schema(example = "oracles") String group,
        @Schema(example = "zone-a") String zone,
        OffsetDateTime createdAt) {
}
