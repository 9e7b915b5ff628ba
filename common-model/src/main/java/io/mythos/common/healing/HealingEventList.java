package io.mythos.common.healing;

import java.util.List;

/** {@code GET /system/health/recovery}: one page, newest first, and the number matching the filters. */
public record HealingEventList(List<HealingEvent> events, long total) {
}
