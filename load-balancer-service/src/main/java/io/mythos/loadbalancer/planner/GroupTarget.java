package io.mythos.loadbalancer.planner;

/**
 * One group's planning figures: the target utilization {@code T = max(lower_bound, targetImbalance ×
 * mean)} no receiver may exceed, and the pressure above which a codex is too heavy to move
 * ({@link LoadFormulas#SPLIT_FRACTION} × the group's largest effective capacity).
 */
record GroupTarget(double target, double tooHeavyAbove, double largestEffectiveCapacity) {

    static GroupTarget of(Assignment assignment, int[] members, int[] codices, double targetImbalance) {
        double sumLoad = 0;
        double sumCapacity = 0;
        double largestCapacity = 0;
        for (int a : members) {
            sumLoad += assignment.load[a];
            sumCapacity += assignment.effectiveCapacity[a];
            largestCapacity = Math.max(largestCapacity, assignment.effectiveCapacity[a]);
        }
        double heaviest = 0;
        for (int c : codices) {
            heaviest = Math.max(heaviest, assignment.map.pressure[c]);
        }
        double mean = sumLoad / sumCapacity;
        double lowerBound = Math.max(mean, heaviest / largestCapacity);
        return new GroupTarget(Math.max(lowerBound, targetImbalance * mean),
                LoadFormulas.SPLIT_FRACTION * largestCapacity, largestCapacity);
    }

    boolean tooHeavy(double pressure) {
        return pressure > tooHeavyAbove;
    }

    /** Worth moving: neither weightless nor too heavy. */
    boolean movable(double pressure) {
        return pressure > 0 && pressure <= tooHeavyAbove;
    }

    /** Whether the assistant carries more than the target allows it (with a relative tolerance). */
    boolean exceededBy(Assignment assignment, int assistant) {
        double allowed = target * assignment.effectiveCapacity[assistant];
        return assignment.load[assistant] > allowed + Planner.EPS * Math.max(1, allowed);
    }

    /** How much more the assistant could take before reaching the target (negative above it). */
    double headroomOf(Assignment assignment, int assistant) {
        return target * assignment.effectiveCapacity[assistant] - assignment.load[assistant];
    }
}
