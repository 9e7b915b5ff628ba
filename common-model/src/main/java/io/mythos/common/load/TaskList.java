package io.mythos.common.load;

import java.util.List;

/** {@code GET /system/load/tasks}: one page, oldest first, and the number of matching tasks. */
public record TaskList(List<Task> tasks, long total) {
}
