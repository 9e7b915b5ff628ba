package io.mythos.common.healing;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/** 202 answer to a signal post: how many were stored, and which events they fired or counted on. */
public record SignalResponse(int accepted, List<Fired> fired) {

    public record Fired(UUID eventId, String nodeId, SignalKind triggeredBy, @JsonProperty("new") boolean isNew) {
    }
}
