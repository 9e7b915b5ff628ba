package io.mythos.common.healing;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A healing event is active until none of its actions is pending (or held); escalated (the flapping
 * guard: no actions, ended by an operator) and silenced (a silence matched: no actions) events carry
 * no repair. See the README's "Healing event lifecycle".
 */
public enum EventStatus {
    @JsonProperty("active") ACTIVE,
    @JsonProperty("resolved") RESOLVED,
    @JsonProperty("failed") FAILED,
    @JsonProperty("escalated") ESCALATED,
    @JsonProperty("silenced") SILENCED
}
