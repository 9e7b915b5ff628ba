package io.mythos.common.load;

import java.time.OffsetDateTime;
import java.util.List;

/** {@code GET /system/load}: the live load map. */
public record LoadMapView(List<AssistantView> assistants, List<GroupView> groups, List<HotCodex> hottestCodices,
                          LoadMetrics metrics, OffsetDateTime generatedAt) {

    public record AssistantView(String assistantId, String group, double capacity, double effectiveCapacity, double load,
                                double utilization, double memoryEntropy, double ritualDensity, long codexCount) {
    }

    public record GroupView(String group, int assistants, double load, double effectiveCapacity, double meanUtilization,
                            double maxUtilization, double imbalance) {
    }

    public record HotCodex(String codexId, String assistantId, double pressure) {
    }
}
