package io.mythos.common.load;

import java.util.List;

/** {@code GET /system/load/plans}: one page, newest first, and the number of plans in all. */
public record PlanList(List<RebalancePlan> plans, long total) {
}
