package io.mythos.common.healing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a signal reports; also the trigger of the healing event it fires. */
public enum SignalKind {
    @JsonProperty("entropy_spike") ENTROPY_SPIKE,
    @JsonProperty("ritual_failure") RITUAL_FAILURE,
    @JsonProperty("codex_conflict") CODEX_CONFLICT,
    @JsonProperty("symbolic_error") SYMBOLIC_ERROR
}
