package io.mythos.daemon.belief;

import java.util.Map;

/** One assistant's replica of a zone's beliefs, at the version it was read. */
public record Replica(String assistantId, long version, Map<String, Double> beliefs) {
}
