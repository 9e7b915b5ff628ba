package io.mythos.common.load;

import com.fasterxml.jackson.annotation.JsonProperty;

/** States of a codex decentralization task in the queue. */
public enum TaskStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("claimed") CLAIMED,
    @JsonProperty("done") DONE,
    @JsonProperty("failed") FAILED
}
