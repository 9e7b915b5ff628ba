package io.mythos.common.load;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a ritual spread plan does with a ritual, by its priority (a critical ritual is never deferred). */
public enum RitualAction {
    /** A low-priority ritual waits {@code defer_seconds}. */
    @JsonProperty("defer") DEFER,
    /** A normal ritual moves to another assistant of the group. */
    @JsonProperty("offload") OFFLOAD,
    /** A critical ritual shares {@code share} of its density with a copy on another assistant. */
    @JsonProperty("clone") CLONE
}
