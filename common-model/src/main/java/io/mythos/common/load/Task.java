package io.mythos.common.load;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A task of the codex decentralization queue (split or replicate one codex). */
public record Task(UUID taskId, UUID planId, String codexId, TaskAction action, int shards,
                                   TaskStatus status, String worker, OffsetDateTime leaseExpiresAt, int attempts,
                                   String reason, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
