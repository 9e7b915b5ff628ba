package io.mythos.loadbalancer.planner;

/**
 * The load formulas of DESIGN.md ("Definitions"): effective capacity, load, shards, imbalance and
 * pressure reduction, with their fixed constants. One place, for the planner and the live map alike.
 */
public final class LoadFormulas {

    public static final double ENTROPY_PENALTY = 0.5;
    public static final double RITUAL_COST = 1.0;
    /** A codex heavier than this fraction of the largest effective capacity of its group is split, not moved. */
    public static final double SPLIT_FRACTION = 0.8;
    /** Shards are sized to this fraction of the largest effective capacity of the group. */
    public static final double SHARD_FRACTION = 0.5;

    private LoadFormulas() {
    }

    public static double effectiveCapacity(double capacity, double memoryEntropy) {
        return capacity * (1 - ENTROPY_PENALTY * memoryEntropy);
    }

    public static double load(double codexPressure, double ritualDensity) {
        return codexPressure + RITUAL_COST * ritualDensity;
    }

    public static int shards(double pressure, double largestEffectiveCapacity) {
        return (int) Math.ceil(pressure / (SHARD_FRACTION * largestEffectiveCapacity));
    }

    /** max / mean; an empty scope (mean 0) counts as perfectly balanced, 1.0. */
    public static double imbalance(double max, double mean) {
        return mean > 0 ? max / mean : 1.0;
    }

    /** (before − after) / before, and 0 when nothing improved. */
    public static double pressureReduction(double beforeMax, double afterMax) {
        return beforeMax > 0 && afterMax < beforeMax ? (beforeMax - afterMax) / beforeMax : 0.0;
    }
}
