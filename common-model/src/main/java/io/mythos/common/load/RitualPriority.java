package io.mythos.common.load;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A critical ritual is never deferred. */
public enum RitualPriority {
    @JsonProperty("critical") CRITICAL,
    @JsonProperty("normal") NORMAL,
    @JsonProperty("low") LOW
}
