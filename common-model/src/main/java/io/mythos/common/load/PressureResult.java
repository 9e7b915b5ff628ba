package io.mythos.common.load;

/** Answer of {@code POST /system/load/pressure}: how many entries were upserted, and the map's metrics after. */
public record PressureResult(int assistants, int codices, int rituals, LoadMetrics metrics) {
}
