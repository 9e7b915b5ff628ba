package io.mythos.common.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A belief zone's state, from its divergence and its recent path. */
public enum ZoneStatus {
    @JsonProperty("diverged") DIVERGED,
    @JsonProperty("recovering") RECOVERING,
    @JsonProperty("converged") CONVERGED,
    @JsonProperty("stalled") STALLED
}
