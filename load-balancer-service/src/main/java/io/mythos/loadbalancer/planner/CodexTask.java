package io.mythos.loadbalancer.planner;

import io.mythos.common.load.TaskAction;
import java.util.ArrayList;
import java.util.List;

/**
 * A decentralization task for a codex too heavy to move: {@code split} into {@code shards} parts, or
 * {@code replicate} onto {@code shards} copies when the codex is read-mostly.
 */
public record CodexTask(String codexId, TaskAction action, int shards) {

    /** The tasks for the group's codices that are too heavy to move, in codex order. */
    static List<CodexTask> forTooHeavy(LoadMap map, int[] codices, GroupTarget target) {
        List<CodexTask> tasks = new ArrayList<>();
        for (int c : codices) {
            if (target.tooHeavy(map.pressure[c])) {
                tasks.add(new CodexTask(map.codexIds[c], map.readMostly[c] ? TaskAction.REPLICATE : TaskAction.SPLIT,
                        LoadFormulas.shards(map.pressure[c], target.largestEffectiveCapacity())));
            }
        }
        return tasks;
    }
}
