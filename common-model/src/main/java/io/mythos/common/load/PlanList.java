package io.mythos.common.load;

import java.util.List;

/**
 * {@code GET /system/load/plans}: one page of plan summaries, newest first, and the number of plans in
 * all. The whole plan of each is at {@code GET /system/load/plans/{plan_id}}.
 */
public record PlanList(List<PlanSummary> plans, long total) {
}
