package io.mythos.common.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What became of one resync of a recovery ({@code memory_resync_attempts[].status}): applied, or a
 * conflict because the replica's version moved (a report arrived) since the recovery read it.
 */
public enum ResyncOutcome {
    @JsonProperty("applied") APPLIED,
    @JsonProperty("conflict") CONFLICT
}
