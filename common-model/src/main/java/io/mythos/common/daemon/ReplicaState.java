package io.mythos.common.daemon;

import java.time.OffsetDateTime;

/** A replica in {@code GET /system/daemon/zones/{zone}}: a stale one has no divergence (it is left out). */
public record ReplicaState(String assistantId, long version, OffsetDateTime reportedAt, boolean stale,
                           Double divergence) {
}
