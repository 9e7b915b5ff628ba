package io.mythos.loadbalancer.planner;

import io.mythos.common.load.RebalancePlan.CodexMove;
import io.mythos.common.load.RebalancePlan.Figures;
import io.mythos.common.load.RebalancePlan.RitualSpread;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The SymbolicLoadBalancer's planner: plain Java, no framework types, deterministic. Its steps, each a
 * class of this package:
 * <ol>
 * <li>{@link GroupTarget}: per group of the scope, the target {@code T = max(lower_bound, target_imbalance
 * × mean)} and the weight above which a codex is too heavy to move;</li>
 * <li>{@link CodexTask}: a codex too heavy to move becomes a {@code split} (or {@code replicate}) task;</li>
 * <li>{@link CodexPlacer}: evacuate-and-place passes bring every assistant of the group to at most {@code T}
 * where the codices allow, raising no utilization;</li>
 * <li>{@link RitualSpreader}: rituals of assistants still above utilization 1.0 are deferred, offloaded
 * or cloned;</li>
 * <li>{@link ScopeFigures}: the scope's figures before and after.</li>
 * </ol>
 * The working state is an {@link Assignment} (codex owners and assistant loads).
 *
 * <p>Cost: O(n log n) in the codices of the over-target assistants plus O(n) per pass; no scan over all
 * codices per move.
 */
public final class Planner {

    /** Tolerance of the utilization comparisons. */
    static final double EPS = 1e-9;

    /**
     * @param group           plan this group only (null: every group, unless {@code assistantId} is given)
     * @param assistantId     plan inside this assistant's group, relieving only this assistant
     * @param targetImbalance the target is {@code max(lower_bound, targetImbalance × mean)}
     * @param maxMoves        at most this many codex moves
     * @param deferSeconds    how long a deferred low-priority ritual waits
     */
    public record Options(String group, String assistantId, double targetImbalance, int maxMoves, int deferSeconds) {
    }

    /**
     * The plan: figures of the scope before and after, the moves (codex order), the tasks for codices too
     * heavy to move (codex order), the ritual spread, and the codex owners after the moves (indices into
     * the map's assistants).
     */
    public record Plan(Figures before, Figures after, double pressureReduction, double movedPressure,
                       List<CodexMove> moves, List<CodexTask> tasks, List<RitualSpread> ritualSpread, int[] owners) {
    }

    /** @throws IllegalArgumentException when the options name a group or assistant that is not in the map */
    public Plan plan(LoadMap map, Options options) {
        Assignment assignment = new Assignment(map);
        Groups groups = new Groups(map);
        Scope scope = Scope.of(map, groups, options.group(), options.assistantId());
        Figures before = ScopeFigures.measure(assignment, scope);

        int[][] codicesByGroup = groups.codicesByGroup(assignment.owner);
        PlacementWorkspace workspace = new PlacementWorkspace(map);
        List<CodexTask> tasks = new ArrayList<>();
        for (int g = 0; g < groups.count(); g++) {
            if (scope.includesGroup(g)) {
                int[] members = groups.members[g];
                int[] codices = codicesByGroup[g];
                GroupTarget target = GroupTarget.of(assignment, scope, members, codices, options.targetImbalance(),
                        workspace.floor);
                tasks.addAll(CodexTask.forTooHeavy(map, codices, target));
                new GroupBalancer(assignment, scope, workspace, members, codices, target, options.targetImbalance(),
                        options.maxMoves()).balance();
            }
        }
        tasks.sort(Comparator.comparing(CodexTask::codexId));

        List<CodexMove> moves = new ArrayList<>();
        double movedPressure = 0;
        for (int c = 0; c < map.codexCount(); c++) {
            int from = map.codexOwner[c];
            int to = assignment.owner[c];
            if (to != from) {
                moves.add(new CodexMove(map.codexIds[c], map.assistantIds[from], map.assistantIds[to], map.pressure[c]));
                movedPressure += map.pressure[c];
            }
        }
        List<RitualSpread> spread = new RitualSpreader(assignment, groups, scope, options.deferSeconds()).spread();
        Figures after = ScopeFigures.measure(assignment, scope);
        return new Plan(before, after, LoadFormulas.pressureReduction(before.maxUtilization(), after.maxUtilization()),
                movedPressure, moves, tasks, spread, assignment.owner);
    }
}
