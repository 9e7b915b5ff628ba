package io.mythos.loadbalancer.planner;

/**
 * One group's planning figures: the common target utilization {@code T} that no receiver may exceed, each
 * assistant's <em>floor</em> (the utilization of what it cannot shed: its rituals and its codices too heavy
 * to move; in assistant scope, for the others, all they carry now), and the pressure above which a codex
 * is too heavy to move ({@link LoadFormulas#SPLIT_FRACTION} × the group's largest effective capacity).
 *
 * <p>A plan reaches {@code T} when every assistant is at or below {@code max(T, its floor)}: an assistant
 * pinned above {@code T} by a codex too heavy to move sheds everything else, and the others still come
 * down to {@code T}.
 */
final class GroupTarget {

    private final double target;
    private final double tooHeavyAbove;
    private final double largestEffectiveCapacity;
    /** Per assistant of the map (only this group's entries are meaningful): its floor utilization. */
    private final double[] floor;

    private GroupTarget(double target, double tooHeavyAbove, double largestEffectiveCapacity, double[] floor) {
        this.target = target;
        this.tooHeavyAbove = tooHeavyAbove;
        this.largestEffectiveCapacity = largestEffectiveCapacity;
        this.floor = floor;
    }

    /**
     * The first target: {@code T = max(lower_bound, targetImbalance × mean)}, but 1.0 when that is above 1.0
     * and the lower bound is not, so that a group that may all be at or below 1.0 is aimed there.
     *
     * @param floor scratch array of the map's size, filled here for the group's members
     */
    static GroupTarget of(Assignment assignment, Scope scope, int[] members, int[] codices, double targetImbalance,
                          double[] floor) {
        LoadMap map = assignment.map;
        double sumLoad = 0;
        double sumCapacity = 0;
        double largestCapacity = 0;
        for (int a : members) {
            sumLoad += assignment.load[a];
            sumCapacity += assignment.effectiveCapacity[a];
            largestCapacity = Math.max(largestCapacity, assignment.effectiveCapacity[a]);
        }
        double tooHeavyAbove = LoadFormulas.SPLIT_FRACTION * largestCapacity;
        double heaviest = 0;
        for (int a : members) {
            floor[a] = 0;
        }
        for (int c : codices) {
            double p = map.pressure[c];
            heaviest = Math.max(heaviest, p);
            if (p > tooHeavyAbove) {
                floor[assignment.owner[c]] += p;
            }
        }
        for (int a : members) {
            floor[a] = scope.relieves(a) ? (floor[a] + assignment.ritualLoad[a]) / assignment.effectiveCapacity[a]
                    : assignment.utilization(a);
        }
        double mean = sumLoad / sumCapacity;
        double lowerBound = Math.max(mean, heaviest / largestCapacity);
        double target = Math.max(lowerBound, targetImbalance * mean);
        if (target > 1.0 && lowerBound <= 1.0) {
            target = 1.0;
        }
        return new GroupTarget(target, tooHeavyAbove, largestCapacity, floor);
    }

    /** The same group aimed at another target. */
    GroupTarget at(double newTarget) {
        return new GroupTarget(newTarget, tooHeavyAbove, largestEffectiveCapacity, floor);
    }

    double target() {
        return target;
    }

    double largestEffectiveCapacity() {
        return largestEffectiveCapacity;
    }

    double floor(int assistant) {
        return floor[assistant];
    }

    boolean tooHeavy(double pressure) {
        return pressure > tooHeavyAbove;
    }

    /** Worth moving: neither weightless nor too heavy. */
    boolean movable(double pressure) {
        return pressure > 0 && pressure <= tooHeavyAbove;
    }

    /** The most the assistant may carry: {@code max(T, its floor)} × its effective capacity. */
    double allowedLoad(Assignment assignment, int assistant) {
        return Math.max(target, floor[assistant]) * assignment.effectiveCapacity[assistant];
    }

    /** Whether the assistant carries more than it is allowed (with a relative tolerance). */
    boolean exceededBy(Assignment assignment, int assistant) {
        double allowed = allowedLoad(assignment, assistant);
        return assignment.load[assistant] > allowed + Planner.EPS * Math.max(1, allowed);
    }

    /** How much more the assistant could take before reaching what it is allowed (negative above it). */
    double headroomOf(Assignment assignment, int assistant) {
        return allowedLoad(assignment, assistant) - assignment.load[assistant];
    }

    /**
     * The lowest target the group's current state reaches: the highest utilization among the assistants
     * that carry more than their floor (0 when none does).
     */
    double levelOf(Assignment assignment, int[] members) {
        double level = 0;
        for (int a : members) {
            double u = assignment.utilization(a);
            if (u > floor[a] * (1 + 1e-9) + Planner.EPS) {
                level = Math.max(level, u);
            }
        }
        return level;
    }
}
