package io.mythos.common.daemon;

import java.time.OffsetDateTime;

/** One point of a zone's belief path: its divergence after a recovery cycle. */
public record PathPoint(OffsetDateTime at, double divergence) {
}
