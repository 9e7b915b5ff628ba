package io.mythos.common.healing;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored silence; {@code created_by} is the subject of the token that created it. */
@Schema(name = "Silence")
public record Silence(
        UUID id,
        SilenceMatchers matchers,
        OffsetDateTime startsAt,
        OffsetDateTime endsAt,
        String comment,
        @Schema(description = "active now, or future") String state,
        String createdBy,
        OffsetDateTime createdAt) {
}
