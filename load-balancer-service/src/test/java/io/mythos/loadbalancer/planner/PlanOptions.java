package io.mythos.loadbalancer.planner;

/** The planner's options for tests: the whole map, a low ritual deferred 300 s. */
final class PlanOptions {

    private PlanOptions() {
    }

    static Planner.Options wholeMap() {
        return wholeMap(1.05, Integer.MAX_VALUE);
    }

    static Planner.Options wholeMap(double targetImbalance, int maxMoves) {
        return new Planner.Options(null, null, targetImbalance, maxMoves, 300);
    }
}
