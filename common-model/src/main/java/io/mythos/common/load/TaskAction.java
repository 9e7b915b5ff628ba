package io.mythos.common.load;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a decentralization task does with a codex too heavy to move. */
public enum TaskAction {
    /** Cut the codex into {@code shards} parts. */
    @JsonProperty("split") SPLIT,
    /** Copy a read-mostly codex onto {@code shards} replicas. */
    @JsonProperty("replicate") REPLICATE
}
