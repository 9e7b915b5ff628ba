package io.mythos.common.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A rebalance plan, as answered by {@code POST /system/load/rebalance} and the plan routes. */
public record RebalancePlan(
        UUID planId,
        Scope scope,
        boolean dryRun,
        boolean applied,
        Figures before,
        Figures after,
        double pressureReduction,
        double movedPressure,
        List<CodexMove> redistribution,
        List<DecentralizationTask> decentralizationTasks,
        List<RitualSpread> ritualSpread,
        long computedInMs,
        OffsetDateTime createdAt) {

    /** What was planned: a group, one assistant (and its group), or everything when both are null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scope(String group, String assistantId) {
    }

    public record Figures(double maxUtilization, double meanUtilization, double imbalance) {
    }

    public record CodexMove(String codexId, String fromAssistant, String toAssistant, double pressure) {
    }

    public record DecentralizationTask(UUID taskId, String codexId, TaskAction action, int shards, TaskStatus status) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RitualSpread(String ritualId, RitualAction action, String fromAssistant, String toAssistant,
                               Double share, Integer deferSeconds) {
    }
}
