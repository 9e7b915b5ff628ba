package io.mythos.common.healing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A healing event is active until none of its actions is pending. */
public enum EventStatus {
    @JsonProperty("active") ACTIVE,
    @JsonProperty("resolved") RESOLVED,
    @JsonProperty("failed") FAILED
}
