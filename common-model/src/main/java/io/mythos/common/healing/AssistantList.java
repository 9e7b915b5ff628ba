package io.mythos.common.healing;

import java.util.List;

/** {@code GET /assistants}: one page and the number of assistants in all. */
public record AssistantList(List<Assistant> assistants, long total) {
}
