package io.mythos.healing.engine;

import io.mythos.common.healing.ActionType;
import io.mythos.common.healing.SignalKind;
import java.util.List;

/** DESIGN.md's table: which repairs a trigger asks for, and what each is aimed at. */
public final class RepairPlan {

    private RepairPlan() {
    }

    public record Planned(int seq, ActionType type, String target) {
    }

    public static List<Planned> actionsFor(SignalKind trigger, String assistantId, String group, String zone) {
        return switch (trigger) {
            case ENTROPY_SPIKE, SYMBOLIC_ERROR -> List.of(
                    new Planned(1, ActionType.REBALANCE_LOAD, group),
                    new Planned(2, ActionType.RESYNC_MEMORY, zone));
            case RITUAL_FAILURE -> List.of(new Planned(1, ActionType.SPREAD_RITUALS, assistantId));
            case CODEX_CONFLICT -> List.of(new Planned(1, ActionType.REALIGN_CODEX, zone));
        };
    }
}
