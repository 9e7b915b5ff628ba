package io.mythos.common.healing;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What {@code POST /system/health/storm/{group}/release} did: the held actions it made pending again. */
@Schema(name = "StormRelease")
public record StormRelease(@Schema(example = "g1") String group, @Schema(example = "4") int released) {
}
