package io.mythos.common.load;

/** The figures of a scope of the load map (DESIGN.md's definitions). */
public record LoadMetrics(double totalPressure, double meanUtilization, double maxUtilization, double imbalance,
                          double lowerBound) {
}
