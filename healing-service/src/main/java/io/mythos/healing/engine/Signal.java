package io.mythos.healing.engine;

import io.mythos.common.healing.SignalKind;
import java.time.OffsetDateTime;

/**
 * One signal of a batch, as the engine judges it and the repository stores it: {@code ord} is its
 * position among all signals of the batch, {@code request} the position of the request that sent it.
 */
public record Signal(int ord, int request, String nodeId, String assistantId, SignalKind kind, Double value,
                     OffsetDateTime observedAt, String detail) {
}
