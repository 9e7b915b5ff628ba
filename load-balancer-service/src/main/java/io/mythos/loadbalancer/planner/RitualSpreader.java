package io.mythos.loadbalancer.planner;

import io.mythos.common.load.RebalancePlan.RitualSpread;
import io.mythos.common.load.RitualAction;
import io.mythos.common.load.RitualPriority;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreading rituals, after the codices are placed: on every relieved assistant of the scope still above
 * utilization 1.0 (most utilized first), rituals are taken low first, then normal, then critical (densest
 * first): {@code low} ones are deferred, {@code normal} ones offloaded and {@code critical} ones cloned
 * (half the density) to the least utilized assistant of the group that stays at or below 1.0. It stops
 * once the assistant is at or below 1.0. A critical ritual is never deferred.
 */
final class RitualSpreader {

    private final Assignment assignment;
    private final LoadMap map;
    private final Groups groups;
    private final Scope scope;
    private final int deferSeconds;

    RitualSpreader(Assignment assignment, Groups groups, Scope scope, int deferSeconds) {
        this.assignment = assignment;
        this.map = assignment.map;
        this.groups = groups;
        this.scope = scope;
        this.deferSeconds = deferSeconds;
    }

    /**
     * The spread, carried into the assignment's loads as the API contract (docs/API.md) counts them: a deferred ritual counts 0
     * until it is due again, an offloaded one on its new assistant, a clone's share on the target and the rest
     * on its assistant. So the plan's {@code after} is what the live map shows once the plan is applied.
     */
    List<RitualSpread> spread() {
        List<Integer> hot = new ArrayList<>();
        for (int a = 0; a < map.assistantCount(); a++) {
            if (scope.includes(a) && scope.relieves(a) && assignment.utilization(a) > 1.0 + Planner.EPS) {
                hot.add(a);
            }
        }
        if (hot.isEmpty() || map.ritualCount() == 0) {
            return List.of();
        }
        hot.sort(assignment::moreUtilizedFirst);
        Map<Integer, List<Integer>> ritualsOf = new HashMap<>();
        for (int r = 0; r < map.ritualCount(); r++) {
            ritualsOf.computeIfAbsent(map.ritualOwner[r], k -> new ArrayList<>()).add(r);
        }
        List<RitualSpread> out = new ArrayList<>();
        for (int a : hot) {
            List<Integer> rituals = new ArrayList<>(ritualsOf.getOrDefault(a, List.of()));
            rituals.sort(Comparator.<Integer>comparingInt(r -> rank(map.priority[r]))
                    .thenComparing(r -> -map.density[r])
                    .thenComparing(r -> map.ritualIds[r]));
            spreadFrom(a, rituals, out);
        }
        return out;
    }

    private void spreadFrom(int a, List<Integer> rituals, List<RitualSpread> out) {
        double[] load = assignment.load;
        for (int r : rituals) {
            if (load[a] / assignment.effectiveCapacity[a] <= 1.0 + Planner.EPS) {
                break;
            }
            double cost = LoadFormulas.RITUAL_COST * map.density[r];
            if (cost <= 0) {
                continue;
            }
            switch (map.priority[r]) {
                case LOW -> {
                    load[a] -= cost;
                    out.add(new RitualSpread(map.ritualIds[r], RitualAction.DEFER, map.assistantIds[a], null, null,
                            deferSeconds));
                }
                case NORMAL -> {
                    int b = leastUtilizedTaking(a, cost);
                    if (b >= 0) {
                        load[a] -= cost;
                        load[b] += cost;
                        out.add(new RitualSpread(map.ritualIds[r], RitualAction.OFFLOAD, map.assistantIds[a],
                                map.assistantIds[b], null, null));
                    }
                }
                case CRITICAL -> {
                    int b = leastUtilizedTaking(a, cost / 2);
                    if (b >= 0) {
                        load[a] -= cost / 2;
                        load[b] += cost / 2;
                        out.add(new RitualSpread(map.ritualIds[r], RitualAction.CLONE, map.assistantIds[a],
                                map.assistantIds[b], 0.5, null));
                    }
                }
            }
        }
    }

    /** Low rituals go first, critical ones last. */
    private static int rank(RitualPriority priority) {
        return switch (priority) {
            case LOW -> 0;
            case NORMAL -> 1;
            case CRITICAL -> 2;
        };
    }

    /** The least utilized other assistant of a's group that stays at or below 1.0 after taking {@code cost}. */
    private int leastUtilizedTaking(int a, double cost) {
        double[] load = assignment.load;
        double[] capacity = assignment.effectiveCapacity;
        int best = -1;
        for (int b : groups.members[groups.groupOf[a]]) {
            if (b != a && (load[b] + cost) / capacity[b] <= 1.0 + Planner.EPS
                    && (best < 0 || assignment.utilization(b) < assignment.utilization(best)
                    || (assignment.utilization(b) == assignment.utilization(best)
                    && map.assistantIds[b].compareTo(map.assistantIds[best]) < 0))) {
                best = b;
            }
        }
        return best;
    }
}
