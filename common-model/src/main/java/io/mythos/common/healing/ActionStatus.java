package io.mythos.common.healing;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a repair action stands; {@code dry_run} marks an action planned but never sent; {@code held}
 * one that waits for its group's storm to end (its {@code reason} says why).
 */
public enum ActionStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("succeeded") SUCCEEDED,
    @JsonProperty("skipped") SKIPPED,
    @JsonProperty("failed") FAILED,
    @JsonProperty("dry_run") DRY_RUN,
    @JsonProperty("held") HELD
}
