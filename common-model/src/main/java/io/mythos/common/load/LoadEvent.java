package io.mythos.common.load;

import java.time.OffsetDateTime;

/** One event of {@code GET /system/load/stream}: the map's metrics after a change. */
public record LoadEvent(LoadMetrics metrics, OffsetDateTime generatedAt) {
}
