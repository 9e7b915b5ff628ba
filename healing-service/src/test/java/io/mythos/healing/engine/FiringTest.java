package io.mythos.healing.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.healing.SignalKind;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The firing decision's rules, without a database: threshold, window and occurrences, grouping, cooldown. */
class FiringTest {

    private static final OffsetDateTime T0 = OffsetDateTime.of(2026, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    /** DESIGN.md's defaults. */
    private static final Map<SignalKind, FiringRule> RULES = new EnumMap<>(Map.of(
            SignalKind.ENTROPY_SPIKE, new FiringRule(SignalKind.ENTROPY_SPIKE, 0.8, 60, 1, 30),
            SignalKind.RITUAL_FAILURE, new FiringRule(SignalKind.RITUAL_FAILURE, null, 60, 3, 30),
            SignalKind.CODEX_CONFLICT, new FiringRule(SignalKind.CODEX_CONFLICT, null, 60, 1, 30),
            SignalKind.SYMBOLIC_ERROR, new FiringRule(SignalKind.SYMBOLIC_ERROR, null, 60, 1, 45)));

    /** Builds a batch's signals in order, one request each unless told otherwise. */
    private static final class Signals {
        final List<Signal> list = new ArrayList<>();

        Signals add(String node, SignalKind kind, Double value, double secondsAfterT0) {
            return add(list.size(), node, "a1", kind, value, secondsAfterT0);
        }

        Signals add(int request, String node, String assistant, SignalKind kind, Double value, double secondsAfterT0) {
            list.add(new Signal(list.size(), request, node, assistant, kind, value,
                    T0.plusNanos((long) (secondsAfterT0 * 1e9)), null));
            return this;
        }
    }

    private static List<Integer> ords(List<Signal> signals) {
        return signals.stream().map(Signal::ord).toList();
    }

    private static List<Integer> firing(Signals batch, Map<Integer, Long> stored) {
        return ords(Firing.firing(Firing.plan(batch.list, RULES), stored));
    }

    @Test
    void aSignalBelowItsThresholdIsStoredButNeverJudged() {
        Signals batch = new Signals().add("n", SignalKind.ENTROPY_SPIKE, 0.79, 0).add("n", SignalKind.ENTROPY_SPIKE, null, 0)
                .add("n", SignalKind.ENTROPY_SPIKE, 0.8, 0);
        Firing.Plan plan = Firing.plan(batch.list, RULES);
        assertEquals(List.of(2), ords(plan.firingAlone()), "0.8 reaches the threshold; 0.79 and no value do not");
        assertEquals(List.of(), plan.probes());
    }

    @Test
    void theFastPathIsTakenOnlyWhenNoSignalCanFire() {
        assertTrue(Firing.cannotFire(new Signals().add("n", SignalKind.ENTROPY_SPIKE, 0.5, 0).list, RULES));
        assertFalse(Firing.cannotFire(new Signals().add("n", SignalKind.ENTROPY_SPIKE, 0.5, 0)
                .add("n", SignalKind.RITUAL_FAILURE, null, 0).list, RULES), "a ritual failure may complete a window");
        Map<SignalKind, FiringRule> noRules = Map.of();
        assertFalse(Firing.cannotFire(new Signals().add("n", SignalKind.ENTROPY_SPIKE, 0.1, 0).list, noRules),
                "rules not read yet: the batch takes the path that reads them");
    }

    @Test
    void aRuleOfOneOccurrenceFiresAloneAndOneOfSeveralCountsItsWindow() {
        Signals batch = new Signals().add("n", SignalKind.CODEX_CONFLICT, null, 0).add("n", SignalKind.RITUAL_FAILURE, null, 0);
        Firing.Plan plan = Firing.plan(batch.list, RULES);
        assertEquals(List.of(0), ords(plan.firingAlone()));
        assertEquals(1, plan.probes().size());
        Firing.WindowProbe probe = plan.probes().get(0);
        assertEquals(1, probe.signal().ord());
        assertEquals(T0.minusSeconds(60), probe.from(), "the window reaches 60 s back from the signal's own observation");
    }

    @Test
    void theThirdOccurrenceInTheWindowFires() {
        Signals batch = new Signals().add("n", SignalKind.RITUAL_FAILURE, null, 40);
        assertEquals(List.of(), firing(batch, Map.of(0, 1L)), "one stored and itself: two");
        assertEquals(List.of(0), firing(batch, Map.of(0, 2L)), "two stored and itself: three");
        assertEquals(List.of(), firing(batch, Map.of()), "nothing stored");
    }

    @Test
    void withinABatchEachSignalCountsThoseBeforeItAsIfSentOneByOne() {
        Signals batch = new Signals().add("n", SignalKind.RITUAL_FAILURE, null, 0).add("n", SignalKind.RITUAL_FAILURE, null, 10)
                .add("n", SignalKind.RITUAL_FAILURE, null, 20).add("n", SignalKind.RITUAL_FAILURE, null, 30);
        assertEquals(List.of(2, 3), firing(batch, Map.of()), "the 3rd and 4th fire; the 4th counts on the event too");
        assertEquals(List.of(1, 2, 3), firing(batch, Map.of(0, 1L, 1, 1L, 2, 1L, 3, 1L)), "with one stored, the 2nd already fires");
    }

    @Test
    void aSignalNeverCountsTheLaterSignalsOfItsBatch() {
        // the batch's order is the order of arrival, whatever the observation times say
        Signals batch = new Signals().add("n", SignalKind.RITUAL_FAILURE, null, 30).add("n", SignalKind.RITUAL_FAILURE, null, 10)
                .add("n", SignalKind.RITUAL_FAILURE, null, 20);
        assertEquals(List.of(), firing(batch, Map.of()), "counting the two after it, the first (t=30) would reach three");
    }

    @Test
    void theWindowIncludesBothEndsAndNothingBeyond() {
        Signals edges = new Signals().add("n", SignalKind.RITUAL_FAILURE, null, 0).add("n", SignalKind.RITUAL_FAILURE, null, 30)
                .add("n", SignalKind.RITUAL_FAILURE, null, 60);
        assertEquals(List.of(2), firing(edges, Map.of()), "0 and 60 are exactly 60 s apart");
        Signals beyond = new Signals().add("n", SignalKind.RITUAL_FAILURE, null, 0).add("n", SignalKind.RITUAL_FAILURE, null, 30)
                .add("n", SignalKind.RITUAL_FAILURE, null, 60.001);
        assertEquals(List.of(), firing(beyond, Map.of()));
    }

    @Test
    void otherNodesAndKindsDoNotCount() {
        Signals batch = new Signals().add("n", SignalKind.RITUAL_FAILURE, null, 0).add("other", SignalKind.RITUAL_FAILURE, null, 1)
                .add("n", SignalKind.CODEX_CONFLICT, null, 2).add("n", SignalKind.RITUAL_FAILURE, null, 3);
        assertEquals(List.of(2), firing(batch, Map.of()), "only the codex conflict fires");
    }

    @Test
    void firingSignalsAreGroupedPerNodeAndTriggerInOneOrder() {
        Signals batch = new Signals()
                .add(0, "n2", "a1", SignalKind.SYMBOLIC_ERROR, null, 5)
                .add(1, "n1", "a2", SignalKind.CODEX_CONFLICT, null, 9)
                .add(1, "n2", "a3", SignalKind.SYMBOLIC_ERROR, null, 3)
                .add(2, "n1", "a1", SignalKind.ENTROPY_SPIKE, 0.9, 1);
        List<FiringGroup> groups = Firing.group(Firing.firing(Firing.plan(batch.list, RULES), Map.of()), RULES);

        assertEquals(List.of("n1 ENTROPY_SPIKE", "n1 CODEX_CONFLICT", "n2 SYMBOLIC_ERROR"),
                groups.stream().map(g -> g.nodeId() + " " + g.trigger()).toList(), "sorted by node, then trigger");
        assertEquals(List.of(0, 1, 2), groups.stream().map(FiringGroup::ord).toList());
        FiringGroup symbolic = groups.get(2);
        assertEquals(2, symbolic.count(), "both symbolic errors of n2 count on one event");
        assertEquals(0, symbolic.first().ord());
        assertEquals("a1", symbolic.assistantId(), "a new event belongs to the assistant of the group's first signal");
        assertEquals(T0.plusSeconds(5), symbolic.lastObservedAt(), "the latest observation, not the last in order");
    }

    @Test
    void theCooldownReachesBackFromTheGroupsLatestObservation() {
        Signals batch = new Signals().add("n", SignalKind.SYMBOLIC_ERROR, null, 50).add("n", SignalKind.SYMBOLIC_ERROR, null, 100);
        FiringGroup group = Firing.group(Firing.firing(Firing.plan(batch.list, RULES), Map.of()), RULES).get(0);
        assertEquals(T0.plusSeconds(100 - 45), group.cooldownFrom(), "an event ended at or after t=55 takes these signals");
    }
}
