package io.mythos.common.healing;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The repairs a healing event can ask of the load balancer and the recovery daemon. */
public enum ActionType {
    @JsonProperty("rebalance_load") REBALANCE_LOAD,
    @JsonProperty("resync_memory") RESYNC_MEMORY,
    @JsonProperty("spread_rituals") SPREAD_RITUALS,
    @JsonProperty("realign_codex") REALIGN_CODEX
}
