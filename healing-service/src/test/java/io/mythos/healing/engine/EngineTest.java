package io.mythos.healing.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.healing.ActionType;
import io.mythos.common.healing.SignalKind;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The engine's pure parts: rule qualification, the repair table, backoff and the brake. */
class EngineTest {

    @Test
    void ruleQualifiesAtOrAboveItsThresholdAndWithoutOneAlways() {
        FiringRule entropy = new FiringRule(SignalKind.ENTROPY_SPIKE, 0.8, 60, 1, 30);
        assertTrue(entropy.qualifies(0.8));
        assertTrue(entropy.qualifies(1.0));
        assertFalse(entropy.qualifies(0.7999999));
        assertFalse(entropy.qualifies(null));
        FiringRule any = new FiringRule(SignalKind.CODEX_CONFLICT, null, 60, 1, 30);
        assertTrue(any.qualifies(null));
        assertTrue(any.qualifies(0.0));
        assertFalse(any.needsWindow());
        assertTrue(new FiringRule(SignalKind.RITUAL_FAILURE, null, 60, 3, 30).needsWindow());
    }

    @Test
    void repairTableFollowsTheDesign() {
        assertEquals(List.of(new RepairPlan.Planned(1, ActionType.REBALANCE_LOAD, "g"), new RepairPlan.Planned(2, ActionType.RESYNC_MEMORY, "z")),
                RepairPlan.actionsFor(SignalKind.ENTROPY_SPIKE, "a", "g", "z"));
        assertEquals(RepairPlan.actionsFor(SignalKind.ENTROPY_SPIKE, "a", "g", "z"),
                RepairPlan.actionsFor(SignalKind.SYMBOLIC_ERROR, "a", "g", "z"));
        assertEquals(List.of(new RepairPlan.Planned(1, ActionType.SPREAD_RITUALS, "a")),
                RepairPlan.actionsFor(SignalKind.RITUAL_FAILURE, "a", "g", "z"));
        assertEquals(List.of(new RepairPlan.Planned(1, ActionType.REALIGN_CODEX, "z")),
                RepairPlan.actionsFor(SignalKind.CODEX_CONFLICT, "a", "g", "z"));
    }

    @Test
    void backoffDoublesFromTheBaseAndIsCapped() {
        Duration base = Duration.ofSeconds(1);
        Duration cap = Duration.ofSeconds(30);
        assertEquals(Duration.ofSeconds(1), Backoff.after(1, base, cap));
        assertEquals(Duration.ofSeconds(2), Backoff.after(2, base, cap));
        assertEquals(Duration.ofSeconds(16), Backoff.after(5, base, cap));
        assertEquals(Duration.ofSeconds(30), Backoff.after(6, base, cap));
        assertEquals(Duration.ofSeconds(30), Backoff.after(1000, base, cap));
        assertEquals(Duration.ofSeconds(30), Backoff.after(1, Duration.ofMinutes(1), cap));
    }

    record Action(String name, UUID event) {
    }

    @Test
    void brakeAdmitsRunningEventsAndNewOnesUpToTheLimit() {
        UUID running = UUID.randomUUID();
        UUID e1 = UUID.randomUUID();
        UUID e2 = UUID.randomUUID();
        Function<Action, UUID> eventOf = Action::event;
        List<Action> due = List.of(new Action("1a", e1), new Action("1b", e1), new Action("r", running), new Action("2", e2));

        assertEquals(List.of(new Action("1a", e1), new Action("1b", e1), new Action("r", running)),
                Brake.select(Set.of(running), due, eventOf, 2), "one slot left: e1 (both actions) and the running event");
        assertEquals(List.of(new Action("r", running)), Brake.select(Set.of(running), due, eventOf, 1),
                "no slot left: only the event already running");
        assertEquals(due, Brake.select(Set.of(), due, eventOf, 20));
        assertEquals(List.of(), Brake.select(Set.of(running), List.of(new Action("2", e2)), eventOf, 1));
    }
}
