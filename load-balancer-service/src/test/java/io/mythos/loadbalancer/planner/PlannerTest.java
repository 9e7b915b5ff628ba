package io.mythos.loadbalancer.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.load.RebalancePlan.CodexMove;
import io.mythos.common.load.RebalancePlan.RitualSpread;
import io.mythos.common.load.RitualAction;
import io.mythos.common.load.RitualPriority;
import io.mythos.common.load.TaskAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner on small maps whose best answer is known. */
class PlannerTest {

    private final Planner planner = new Planner();

    @Test
    void evacuateAndPlaceGetsWhereGreedyMovesGetStuck() {
        // a0 holds 7 + 4 (1.1); a1 and a2 hold 2 + 2 + 2. Target max(0.7, 1.05 × 23/30) = 0.805, i.e. 8.05 each.
        // Neither of a0's codices fits in the 2.05 of room left on a1 or a2: a one-codex-at-a-time greedy is stuck.
        // Shedding the 4 and letting it eject a 2 from a1 (the 2 then goes to a2) reaches 0.8.
        LoadMap m = LoadMap.builder()
                .assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0).assistant("a2", "g", 10, 0)
                .codex("big", "a0", 7).codex("mid", "a0", 4)
                .codex("s1", "a1", 2).codex("s2", "a1", 2).codex("s3", "a1", 2)
                .codex("s4", "a2", 2).codex("s5", "a2", 2).codex("s6", "a2", 2)
                .build();
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        assertEquals(List.of(new CodexMove("mid", "a0", "a1", 4), new CodexMove("s1", "a1", "a2", 2)), plan.moves());
        assertEquals(0.8, plan.after().maxUtilization(), 1e-12);
        assertEquals(1.1, plan.before().maxUtilization(), 1e-12);
        assertEquals((1.1 - 0.8) / 1.1, plan.pressureReduction(), 1e-12);
        assertEquals(6.0, plan.movedPressure(), 1e-12);
    }

    @Test
    void theReadmeExampleReachesTheBestBalanceItsCodicesAllow() {
        // README "delphi": pythia (capacity 10, entropy 0.4: effective 8) carries 4 + 3 + 3 + 2 = 12 (1.5).
        // The first target max(0.4, 1.05 × 12/28) = 0.45 is out of reach with whole codices (pythia could keep
        // at most 3.6); 0.5 is the best possible: pythia keeps the 4, the others share 3 + 2 and 3.
        LoadMap m = LoadMap.builder().assistant("pythia", "delphi", 10, 0.4)
                .assistant("sibyl", "delphi", 10, 0).assistant("oracle", "delphi", 10, 0)
                .codex("c1", "pythia", 4).codex("c2", "pythia", 3).codex("c3", "pythia", 3).codex("c4", "pythia", 2)
                .build();
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        assertEquals(1.5, plan.before().maxUtilization(), 1e-12);
        assertEquals(0.5, plan.after().maxUtilization(), 1e-12);
        assertEquals(ExactBalance.of(m).maxUtilization(), plan.after().maxUtilization(), 1e-12);
        assertEquals(List.of("c2", "c3", "c4"), plan.moves().stream().map(CodexMove::codexId).sorted().toList());
        assertEquals(8.0, plan.movedPressure(), 1e-12);
        assertEquals((1.5 - 0.5) / 1.5, plan.pressureReduction(), 1e-12);
    }

    @Test
    void aLumpyAssistantShedsTheCodexThatBringsEveryoneToTheBestLevel() {
        // a0 (capacity 10) carries 9 + 7 + 2 (1.8) beside two empty assistants of capacity 10 and d (capacity
        // 30) carrying 20. The first target 1.05 × 38/60 = 0.665 is out of reach: the 9 fits nowhere under it.
        // 0.9 is the best possible (wherever the 9 is, its assistant is at 0.9 or more), and one move reaches
        // it: the 9 to an empty assistant, a0 keeping 7 + 2.
        LoadMap m = LoadMap.builder().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0)
                .assistant("a2", "g", 10, 0).assistant("d", "g", 30, 0)
                .codex("c9", "a0", 9).codex("c7", "a0", 7).codex("c2", "a0", 2).codex("d20", "d", 20)
                .build();
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        assertEquals(1.8, plan.before().maxUtilization(), 1e-12);
        assertEquals(0.9, plan.after().maxUtilization(), 1e-12);
        ExactBalance.Optimum best = ExactBalance.of(m);
        assertEquals(best.maxUtilization(), plan.after().maxUtilization(), 1e-12);
        assertEquals(best.fewestMoves(), plan.moves().size());
        assertEquals(List.of("c9"), plan.moves().stream().map(CodexMove::codexId).toList());
        assertTrue(List.of("a1", "a2").contains(plan.moves().get(0).toAssistant()), "to an empty assistant");
    }

    @Test
    void everyAssistantEndsAtOrBelowOneWhenTheCodicesAllowIt() {
        // a0 (capacity 4) carries 16.88 + 8.75 + 6.81 + 5.61 = 38.05 (9.5); the first target 0.6 cannot be
        // reached, and the 8.75 fits under it nowhere once the rest is placed: evacuate-and-place alone left a0 at
        // 2.19. Every assistant can be at or below 1.0 (best: 0.945, a1 taking all but the 8.75, which a3 takes).
        LoadMap m = LoadMap.builder().assistant("a0", "g", 4, 0).assistant("a1", "g", 31, 0)
                .assistant("a2", "g", 5.3, 0).assistant("a3", "g", 10, 0)
                .codex("c0", "a0", 16.88).codex("c1", "a0", 8.75).codex("c2", "a0", 5.61).codex("c3", "a0", 6.81)
                .build();
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        assertTrue(plan.after().maxUtilization() <= 1.0, () -> "after " + plan.after());
        assertEquals(ExactBalance.of(m).maxUtilization(), plan.after().maxUtilization(), 1e-12);
        assertEquals(4, plan.moves().size());
    }

    @Test
    void theFewestCodicesThatCoverTheExcessAndAmongThemTheLightest() {
        // a0: 5, 4, 3, 1, 1 = 14 on capacity 10; a1 empty. mean 0.7, target 0.735: excess 6.65.
        // Two codices are needed (5 + 4 ≥ 6.65 but no single one): the lightest such pair is 4 + 3.
        LoadMap m = LoadMap.builder().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0)
                .codex("c5", "a0", 5).codex("c4", "a0", 4).codex("c3", "a0", 3).codex("x1", "a0", 1).codex("y1", "a0", 1)
                .build();
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        assertEquals(List.of("c3", "c4"), plan.moves().stream().map(CodexMove::codexId).sorted().toList());
        assertEquals(0.7, plan.after().maxUtilization(), 1e-12);
    }

    @Test
    void heavyCodicesAreSplitOrReplicatedNotMoved() {
        LoadMap m = LoadMap.builder().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0.5)
                .codex("huge", "a0", 23).codex("hot", "a0", 8.5, true).codex("ok", "a0", 1)
                .build();
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        // largest effective capacity 10: over 8 is too heavy; shards of 5
        assertEquals(List.of(new CodexTask("hot", TaskAction.REPLICATE, 2), new CodexTask("huge", TaskAction.SPLIT, 5)), plan.tasks());
        assertTrue(plan.moves().stream().noneMatch(mv -> mv.codexId().equals("huge") || mv.codexId().equals("hot")));
    }

    @Test
    void ritualSpreadDefersOffloadsAndClonesByPriority() {
        // a0: codex 7 + rituals 1 (low) + 2 (normal) + 4 (critical) = 14 on 10; a1 holds 2, a2 holds 6; no codex may move.
        // Deferring lo leaves 13, offloading no to a1 (the least utilized) 12, cloning half of cr to a1 10.
        LoadMap m = LoadMap.builder().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0).assistant("a2", "g", 10, 0)
                .codex("c", "a0", 7).codex("d", "a1", 2).codex("e", "a2", 6)
                .ritual("cr", "a0", 4, RitualPriority.CRITICAL).ritual("lo", "a0", 1, RitualPriority.LOW)
                .ritual("no", "a0", 2, RitualPriority.NORMAL)
                .build();
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap(1.05, 0));
        assertEquals(List.of(
                new RitualSpread("lo", RitualAction.DEFER, "a0", null, null, 300),
                new RitualSpread("no", RitualAction.OFFLOAD, "a0", "a1", null, null),
                new RitualSpread("cr", RitualAction.CLONE, "a0", "a1", 0.5, null)), plan.ritualSpread());
        // the after figures carry the whole spread: a0 14 - 1 (deferred: 0 until due) - 2 (offloaded) - 2 (half
        // of cr) = 9; a1 2 + 2 + 2 = 6
        assertEquals(0.9, plan.after().maxUtilization(), 1e-12);
        assertEquals((1.4 - 0.9) / 1.4, plan.pressureReduction(), 1e-12);
        assertEquals((22 - 1) / 30.0, plan.after().meanUtilization(), 1e-12); // 22 in all, less the deferred 1
    }

    @Test
    void aGroupOverloadedOnlyByRitualsIsRelievedByTheSpread() {
        // no codex anywhere: a0 runs rituals of density 6 (low), 4 (normal) and 3 (critical) on capacity 10 (1.3)
        LoadMap m = LoadMap.builder().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0)
                .ritual("lo", "a0", 6, RitualPriority.LOW).ritual("no", "a0", 4, RitualPriority.NORMAL)
                .ritual("cr", "a0", 3, RitualPriority.CRITICAL)
                .build();
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        assertEquals(List.of(), plan.moves());
        // deferring the low one (6) brings a0 to 0.7: nothing else is needed
        assertEquals(List.of(new RitualSpread("lo", RitualAction.DEFER, "a0", null, null, 300)), plan.ritualSpread());
        assertEquals(1.3, plan.before().maxUtilization(), 1e-12);
        assertEquals(0.7, plan.after().maxUtilization(), 1e-12);
        assertEquals((1.3 - 0.7) / 1.3, plan.pressureReduction(), 1e-12);
    }

    @Test
    void aCriticalRitualWithNowhereToGoStaysAndIsNotDeferred() {
        LoadMap m = LoadMap.builder().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0)
                .codex("d", "a1", 9.9)
                .ritual("cr", "a0", 12, RitualPriority.CRITICAL)
                .build();
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        assertEquals(List.of(), plan.ritualSpread());
    }

    @Test
    void anAssistantScopeShedsOnlyFromThatAssistant() {
        LoadMap m = LoadMap.builder().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0)
                .assistant("a2", "g", 10, 0).assistant("b", "other", 1, 0)
                .codex("x1", "a0", 5).codex("x2", "a0", 5).codex("y1", "a1", 5).codex("y2", "a1", 5).codex("z", "b", 9)
                .build();
        Planner.Plan plan = planner.plan(m, new Planner.Options(null, "a1", 1.05, Integer.MAX_VALUE, 300));
        // of two equal codices, the one later in id order goes
        assertEquals(List.of(new CodexMove("y2", "a1", "a2", 5)), plan.moves());
        // figures are those of a1's group
        assertEquals(1.0, plan.before().maxUtilization(), 1e-12);
        assertEquals(20.0 / 30, plan.before().meanUtilization(), 1e-12);
    }

    @Test
    void aGroupScopeLeavesOtherGroupsAlone() {
        LoadMap m = LoadMap.builder().assistant("a0", "g", 10, 0).assistant("a1", "g", 10, 0)
                .assistant("b0", "h", 10, 0).assistant("b1", "h", 10, 0)
                .codex("x1", "a0", 5).codex("x2", "a0", 5).codex("y1", "b0", 5).codex("y2", "b0", 5)
                .build();
        Planner.Plan plan = planner.plan(m, new Planner.Options("h", null, 1.05, Integer.MAX_VALUE, 300));
        assertEquals(List.of(new CodexMove("y2", "b0", "b1", 5)), plan.moves());
    }

    @Test
    void anEmptyMapPlansNothing() {
        Planner.Plan plan = planner.plan(LoadMap.builder().build(), PlanOptions.wholeMap());
        assertEquals(List.of(), plan.moves());
        assertEquals(0.0, plan.before().maxUtilization());
        assertEquals(1.0, plan.before().imbalance());
        assertEquals(0.0, plan.pressureReduction());
    }
}
