package io.mythos.common.load;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * One plan as {@code GET /system/load/plans} lists it: everything of the plan but its three lists, which
 * are counted instead. A plan's lists grow with the map (a whole-map plan of 10,000 codices holds 10,000
 * entries), so a page of whole plans could outgrow the service's heap; a summary has a bounded size, and
 * the whole plan stays at {@code GET /system/load/plans/{plan_id}}.
 */
public record PlanSummary(
        UUID planId,
        RebalancePlan.Scope scope,
        boolean dryRun,
        boolean applied,
        RebalancePlan.Figures before,
        RebalancePlan.Figures after,
        double pressureReduction,
        double movedPressure,
        Counts counts,
        long computedInMs,
        OffsetDateTime createdAt) {

    /** The sizes of the plan's {@code redistribution}, {@code decentralization_tasks} and {@code ritual_spread}. */
    public record Counts(int redistribution, int decentralizationTasks, int ritualSpread) {
    }

    public static PlanSummary of(RebalancePlan p) {
        return new PlanSummary(p.planId(), p.scope(), p.dryRun(), p.applied(), p.before(), p.after(), p.pressureReduction(),
                p.movedPressure(), new Counts(size(p.redistribution()), size(p.decentralizationTasks()), size(p.ritualSpread())),
                p.computedInMs(), p.createdAt());
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }
}
