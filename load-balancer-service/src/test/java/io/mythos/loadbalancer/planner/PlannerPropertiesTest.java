package io.mythos.loadbalancer.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.load.RebalancePlan.CodexMove;
import io.mythos.common.load.RebalancePlan.RitualSpread;
import io.mythos.common.load.RitualAction;
import io.mythos.common.load.RitualPriority;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.WithQuickTheories;

/**
 * Properties of the planner over random maps, with QuickTheories. Each map is drawn from a seed that is
 * one of the generated values, so a failure's "smallest falsifying values" ({@code {seed, assistants,
 * codices, ...}}, shrunk) name a map that {@link #randomMap} rebuilds exactly.
 */
class PlannerPropertiesTest implements WithQuickTheories {

    private static final double TOL = 1e-9;
    private final Planner planner = new Planner();

    /** Random maps: 1-3 groups, mixed capacities and entropies, pressures from tiny to heavier than any assistant. */
    static LoadMap randomMap(long seed, int assistants, int codices, int rituals, double maxPressure) {
        Random rnd = new Random(seed);
        LoadMap.Builder b = LoadMap.builder();
        int groups = 1 + rnd.nextInt(3);
        for (int a = 0; a < assistants; a++) {
            double cap = rnd.nextBoolean() ? 10 : 1 + rnd.nextInt(40);
            b.assistant(String.format("a%03d", a), "g" + (a % groups), cap, rnd.nextInt(3) == 0 ? rnd.nextDouble() : 0);
        }
        for (int c = 0; c < codices; c++) {
            double p = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextDouble() * maxPressure;
                case 1 -> Math.exp(rnd.nextGaussian()) * maxPressure / 10;
                case 2 -> Math.floor(rnd.nextDouble() * 5); // ties and zeros
                default -> maxPressure / 50 * rnd.nextDouble();
            };
            // skewed owners: a quarter of the assistants get most codices
            int owner = rnd.nextInt(4) == 0 ? rnd.nextInt(assistants) : rnd.nextInt(Math.max(1, assistants / 4));
            b.codex(String.format("c%04d", c), owner, p);
        }
        RitualPriority[] prios = RitualPriority.values();
        for (int r = 0; r < rituals; r++) {
            b.ritual("r" + r, String.format("a%03d", rnd.nextInt(assistants)), rnd.nextDouble() * maxPressure / 5,
                    prios[rnd.nextInt(prios.length)]);
        }
        return b.build();
    }

    /** The map with the plan's moves applied. */
    static LoadMap applied(LoadMap m, int[] owners) {
        LoadMap.Builder b = LoadMap.builder();
        for (int a = 0; a < m.assistantCount(); a++) {
            b.assistant(m.assistantId(a), m.group(a), m.capacity(a), m.memoryEntropy(a));
        }
        for (int c = 0; c < m.codexCount(); c++) {
            b.codex(m.codexId(c), owners[c], m.pressure(c), m.readMostly(c));
        }
        for (int r = 0; r < m.ritualCount(); r++) {
            b.ritual(m.ritualId(r), m.assistantId(m.ritualOwner(r)), m.density(r), m.priority(r));
        }
        return b.build();
    }

    static double[] loads(LoadMap m, int[] owners) {
        double[] load = new double[m.assistantCount()];
        for (int c = 0; c < m.codexCount(); c++) {
            load[owners[c]] += m.pressure(c);
        }
        for (int r = 0; r < m.ritualCount(); r++) {
            load[m.ritualOwner(r)] += LoadFormulas.RITUAL_COST * m.density(r);
        }
        return load;
    }

    static double util(LoadMap m, double[] load, int a) {
        return load[a] / LoadFormulas.effectiveCapacity(m.capacity(a), m.memoryEntropy(a));
    }

    static Map<String, Double> groupMax(LoadMap m, double[] load) {
        Map<String, Double> max = new HashMap<>();
        for (int a = 0; a < m.assistantCount(); a++) {
            max.merge(m.group(a), util(m, load, a), Math::max);
        }
        return max;
    }

    @Test
    void pressureIsConservedAndMovesStayInTheirGroup() {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 12), integers().between(0, 80))
                .checkAssert(this::pressureIsConservedAndMovesStayInTheirGroup);
    }

    private void pressureIsConservedAndMovesStayInTheirGroup(long seed, int assistants, int codices) {
        LoadMap m = randomMap(seed, assistants, codices, 6, 20);
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        Map<String, Double> before = new HashMap<>();
        Map<String, Double> after = new HashMap<>();
        for (int c = 0; c < m.codexCount(); c++) {
            before.merge(m.group(m.codexOwner(c)), m.pressure(c), Double::sum);
            after.merge(m.group(plan.owners()[c]), m.pressure(c), Double::sum);
        }
        assertEquals(before.keySet(), after.keySet());
        before.forEach((g, p) -> assertEquals(p, after.get(g), 1e-6));
        Map<String, String> groupOf = new HashMap<>();
        for (int a = 0; a < m.assistantCount(); a++) {
            groupOf.put(m.assistantId(a), m.group(a));
        }
        double moved = 0;
        for (CodexMove mv : plan.moves()) {
            assertEquals(groupOf.get(mv.fromAssistant()), groupOf.get(mv.toAssistant()));
            assertNotEquals(mv.fromAssistant(), mv.toAssistant());
            moved += mv.pressure();
        }
        assertEquals(moved, plan.movedPressure(), 1e-6);
        for (RitualSpread s : plan.ritualSpread()) {
            if (s.toAssistant() != null) {
                assertEquals(groupOf.get(s.fromAssistant()), groupOf.get(s.toAssistant()));
            }
        }
    }

    @Test
    void maxUtilizationNeverRises() {
        qt().withExamples(300)
                .forAll(longs().all(), integers().between(1, 12), integers().between(0, 80), doubles().between(1.0, 1.5))
                .checkAssert(this::maxUtilizationNeverRises);
    }

    private void maxUtilizationNeverRises(long seed, int assistants, int codices, double targetImbalance) {
        LoadMap m = randomMap(seed, assistants, codices, 6, 20);
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap(targetImbalance, Integer.MAX_VALUE));
        double[] before = loads(m, m.codexOwner);
        double[] afterMoves = loads(m, plan.owners());
        Map<String, Double> gBefore = groupMax(m, before);
        Map<String, Double> gAfter = groupMax(m, afterMoves);
        gBefore.forEach((g, max) -> assertTrue(gAfter.get(g) <= max + TOL, () -> g + ": " + gAfter.get(g) + " > " + max));
        // and the plan's own figures, which include the ritual spread, agree
        assertTrue(plan.after().maxUtilization() <= plan.before().maxUtilization() + TOL, () -> "plan.after().maxUtilization() = " + (plan.after().maxUtilization()) + " > " + (plan.before().maxUtilization() + TOL));
        // the mean falls by the deferred density only (a deferred ritual counts 0 until it is due)
        double deferred = 0;
        double capacity = 0;
        Map<String, Double> density = new HashMap<>();
        for (int r = 0; r < m.ritualCount(); r++) {
            density.put(m.ritualId(r), m.density(r));
        }
        for (RitualSpread s : plan.ritualSpread()) {
            deferred += s.action() == RitualAction.DEFER ? density.get(s.ritualId()) : 0;
        }
        for (int a = 0; a < m.assistantCount(); a++) {
            capacity += LoadFormulas.effectiveCapacity(m.capacity(a), m.memoryEntropy(a));
        }
        assertEquals(plan.before().meanUtilization() - deferred / capacity, plan.after().meanUtilization(), 1e-9);
        // no assistant ends above the larger of its own start and its group's start maximum
        for (int a = 0; a < m.assistantCount(); a++) {
            assertTrue(util(m, afterMoves, a) <= gBefore.get(m.group(a)) + TOL, "assistant " + m.assistantId(a));
        }
    }

    @Test
    void planningTheAppliedResultMovesNothing() {
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 12), integers().between(0, 80))
                .checkAssert((seed, assistants, codices) -> {
                    LoadMap m = randomMap(seed, assistants, codices, 0, 20);
                    Planner.Plan first = planner.plan(m, PlanOptions.wholeMap());
                    Planner.Plan again = planner.plan(applied(m, first.owners()), PlanOptions.wholeMap());
                    assertEquals(List.of(), again.moves());
                });
    }

    @Test
    void deterministic() {
        qt().withExamples(200).forAll(longs().all(), integers().between(1, 12), integers().between(0, 80))
                .checkAssert((seed, assistants, codices) -> {
                    Planner.Plan a = planner.plan(randomMap(seed, assistants, codices, 8, 20), PlanOptions.wholeMap());
                    Planner.Plan b = planner.plan(randomMap(seed, assistants, codices, 8, 20), PlanOptions.wholeMap());
                    assertEquals(a.moves(), b.moves());
                    assertEquals(a.tasks(), b.tasks());
                    assertEquals(a.ritualSpread(), b.ritualSpread());
                    assertEquals(a.after(), b.after());
                });
    }

    @Test
    void criticalRitualsAreNeverDeferred() {
        qt().withExamples(300).forAll(longs().all(), integers().between(1, 10), integers().between(0, 40))
                .checkAssert(this::criticalRitualsAreNeverDeferred);
    }

    private void criticalRitualsAreNeverDeferred(long seed, int assistants, int codices) {
        LoadMap m = randomMap(seed, assistants, codices, 20, 40);
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap());
        Map<String, RitualPriority> prio = new HashMap<>();
        for (int r = 0; r < m.ritualCount(); r++) {
            prio.put(m.ritualId(r), m.priority(r));
        }
        for (RitualSpread s : plan.ritualSpread()) {
            RitualAction expected = switch (prio.get(s.ritualId())) {
                case LOW -> RitualAction.DEFER;
                case NORMAL -> RitualAction.OFFLOAD;
                case CRITICAL -> RitualAction.CLONE;
            };
            assertEquals(expected, s.action());
        }
    }

    @Test
    void anAssistantScopeRelievesOnlyItsAssistantAndRaisesNothing() {
        qt().withExamples(300)
                .forAll(longs().all(), integers().between(1, 12), integers().between(0, 80), integers().between(0, 11))
                .checkAssert(this::anAssistantScopeRelievesOnlyItsAssistantAndRaisesNothing);
    }

    private void anAssistantScopeRelievesOnlyItsAssistantAndRaisesNothing(long seed, int assistants, int codices,
                                                                          int focusIndex) {
        LoadMap m = randomMap(seed, assistants, codices, 6, 20);
        int focus = focusIndex % assistants;
        Planner.Plan plan = planner.plan(m, new Planner.Options(null, m.assistantId(focus), 1.05, Integer.MAX_VALUE, 300));
        double[] before = loads(m, m.codexOwner);
        double[] after = loads(m, plan.owners());
        double groupMax = 0;
        for (int a = 0; a < m.assistantCount(); a++) {
            if (m.group(a).equals(m.group(focus))) {
                groupMax = Math.max(groupMax, util(m, before, a));
            }
        }
        assertTrue(after[focus] <= before[focus] + TOL);
        for (int a = 0; a < m.assistantCount(); a++) {
            if (!m.group(a).equals(m.group(focus))) {
                assertEquals(before[a], after[a], 0.0, "another group changed");
            }
            assertTrue(util(m, after, a) <= Math.max(util(m, before, a), groupMax) + TOL);
        }
        for (RitualSpread s : plan.ritualSpread()) {
            assertEquals(m.assistantId(focus), s.fromAssistant());
        }
    }

    @Test
    void maxMovesCapsThePlan() {
        qt().withExamples(200)
                .forAll(longs().all(), integers().between(2, 12), integers().between(0, 80), integers().between(0, 5))
                .checkAssert(this::maxMovesCapsThePlan);
    }

    private void maxMovesCapsThePlan(long seed, int assistants, int codices, int maxMoves) {
        LoadMap m = randomMap(seed, assistants, codices, 0, 20);
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap(1.05, maxMoves));
        assertTrue(plan.moves().size() <= maxMoves, () -> "plan.moves().size() = " + (plan.moves().size()) + " > " + (maxMoves));
        assertTrue(plan.after().maxUtilization() <= plan.before().maxUtilization() + TOL, () -> "plan.after().maxUtilization() = " + (plan.after().maxUtilization()) + " > " + (plan.before().maxUtilization() + TOL));
    }

    /**
     * When the lower bound allows, the target is reached. "Allows" here means, for every group with
     * target T = max(lower_bound, target_imbalance × mean), largest movable codex p_max and A assistants:
     * (1) every assistant's unmovable load (its rituals and its codices too heavy to move) is at most
     * T × its effective capacity, and (2) the slack (T − mean) × Σ effective capacity is at least
     * (A − 1) × p_max. Under (2), whenever a codex of pressure p fits on no assistant, the free room under
     * T would be below A × p although it is at least the slack plus p: so every shed codex finds a place,
     * and after the moves (without a max_moves cap) every assistant is at or below T.
     */
    @Test
    void targetReachedWheneverTheLowerBoundAllows() {
        qt().withExamples(300).withGenerateAttempts(20 * 300)
                .forAll(longs().all(), integers().between(1, 12), integers().between(20, 300), doubles().between(1.0, 1.3))
                .assuming((seed, assistants, codices, t) -> allows(randomMap(seed, assistants, codices, 3, 2), t, new HashMap<>()))
                .checkAssert(this::targetReachedWheneverTheLowerBoundAllows);
    }

    private void targetReachedWheneverTheLowerBoundAllows(long seed, int assistants, int codices, double targetImbalance) {
        LoadMap m = randomMap(seed, assistants, codices, 3, 2);
        Map<String, Double> target = new HashMap<>();
        allows(m, targetImbalance, target);
        Planner.Plan plan = planner.plan(m, PlanOptions.wholeMap(targetImbalance, Integer.MAX_VALUE));
        double[] after = loads(m, plan.owners());
        for (int a = 0; a < m.assistantCount(); a++) {
            double u = util(m, after, a);
            double t = target.get(m.group(a));
            assertTrue(u <= t * (1 + 1e-9) + 1e-9, () -> u + " > target " + t);
        }
    }

    private static boolean allows(LoadMap m, double targetImbalance, Map<String, Double> targetOut) {
        double[] load = loads(m, m.codexOwner);
        Map<String, double[]> g = new HashMap<>(); // sumL, sumC, maxC, count, maxP
        for (int a = 0; a < m.assistantCount(); a++) {
            double[] s = g.computeIfAbsent(m.group(a), k -> new double[5]);
            double c = LoadFormulas.effectiveCapacity(m.capacity(a), m.memoryEntropy(a));
            s[0] += load[a];
            s[1] += c;
            s[2] = Math.max(s[2], c);
            s[3]++;
        }
        for (int c = 0; c < m.codexCount(); c++) {
            double[] s = g.get(m.group(m.codexOwner(c)));
            s[4] = Math.max(s[4], m.pressure(c));
        }
        double[] unmovable = new double[m.assistantCount()];
        for (int r = 0; r < m.ritualCount(); r++) {
            unmovable[m.ritualOwner(r)] += m.density(r);
        }
        Map<String, Double> pMaxMovable = new HashMap<>();
        for (int c = 0; c < m.codexCount(); c++) {
            double[] s = g.get(m.group(m.codexOwner(c)));
            if (m.pressure(c) > LoadFormulas.SPLIT_FRACTION * s[2]) {
                unmovable[m.codexOwner(c)] += m.pressure(c);
            } else {
                pMaxMovable.merge(m.group(m.codexOwner(c)), m.pressure(c), Math::max);
            }
        }
        for (Map.Entry<String, double[]> e : g.entrySet()) {
            double[] s = e.getValue();
            double mean = s[0] / s[1];
            double t = Math.max(Math.max(mean, s[4] / s[2]), targetImbalance * mean);
            targetOut.put(e.getKey(), t);
            if ((t - mean) * s[1] < (s[3] - 1) * pMaxMovable.getOrDefault(e.getKey(), 0.0)) {
                return false;
            }
        }
        for (int a = 0; a < m.assistantCount(); a++) {
            double cap = LoadFormulas.effectiveCapacity(m.capacity(a), m.memoryEntropy(a));
            if (unmovable[a] > targetOut.get(m.group(a)) * cap) {
                return false;
            }
        }
        return true;
    }
}
