package io.mythos.loadbalancer.planner;

import io.mythos.common.load.RebalancePlan.Figures;

/** A plan's before and after figures: max and mean utilization of the scope, and their ratio. */
final class ScopeFigures {

    private ScopeFigures() {
    }

    static Figures measure(Assignment assignment, Scope scope) {
        double sumLoad = 0;
        double sumCapacity = 0;
        double max = 0;
        for (int a = 0; a < assignment.load.length; a++) {
            if (scope.includes(a)) {
                sumLoad += assignment.load[a];
                sumCapacity += assignment.effectiveCapacity[a];
                max = Math.max(max, assignment.load[a] / assignment.effectiveCapacity[a]);
            }
        }
        double mean = sumCapacity > 0 ? sumLoad / sumCapacity : 0;
        return new Figures(max, mean, LoadFormulas.imbalance(max, mean));
    }
}
