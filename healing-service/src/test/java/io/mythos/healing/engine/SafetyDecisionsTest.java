package io.mythos.healing.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.healing.EventStatus;
import io.mythos.common.healing.SignalKind;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The remediation-safety decisions, without the database: silences, the flapping guard, the storm guard, effectiveness. */
class SafetyDecisionsTest {

    private static final OffsetDateTime T = OffsetDateTime.of(2026, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    private static ActiveSilence silence(String node, String assistant, String group, SignalKind trigger, OffsetDateTime ends) {
        return new ActiveSilence(UUID.randomUUID(), node, assistant, group, trigger, ends);
    }

    @Test
    void aSilenceMatchesWhenEveryGivenMatcherEqualsTheFiring() {
        assertTrue(silence("n1", null, null, null, T).matches("n1", "a1", "g1", SignalKind.ENTROPY_SPIKE));
        assertTrue(silence(null, null, "g1", SignalKind.ENTROPY_SPIKE, T).matches("n1", "a1", "g1", SignalKind.ENTROPY_SPIKE));
        assertFalse(silence(null, null, "g1", SignalKind.CODEX_CONFLICT, T).matches("n1", "a1", "g1", SignalKind.ENTROPY_SPIKE));
        assertFalse(silence("n1", "a2", null, null, T).matches("n1", "a1", "g1", SignalKind.ENTROPY_SPIKE));
        assertFalse(silence(null, null, "g2", null, T).matches("n1", "a1", "g1", SignalKind.ENTROPY_SPIKE));
    }

    @Test
    void aMatchingSilenceOpensASilencedEventEndingWithTheSilenceThatEndsLast() {
        ActiveSilence early = silence("n1", null, null, null, T.plusMinutes(5));
        ActiveSilence late = silence(null, "a1", null, null, T.plusMinutes(30));
        ActiveSilence other = silence("n2", null, null, null, T.plusHours(5));
        Opening o = Opening.decide("n1", SignalKind.ENTROPY_SPIKE, "a1", "g1", List.of(early, late, other), 0, 3);
        assertEquals(EventStatus.SILENCED, o.status());
        assertEquals(late.id(), o.silenceId());
        assertEquals(late.endsAt(), o.silencedUntil());
        assertFalse(o.repairs());
    }

    @Test
    void aSilenceWinsOverTheFlappingGuard() {
        Opening o = Opening.decide("n1", SignalKind.ENTROPY_SPIKE, "a1", "g1",
                List.of(silence("n1", null, null, null, T)), 10, 3);
        assertEquals(EventStatus.SILENCED, o.status());
    }

    @Test
    void theFlappingGuardEscalatesOnceTheIneffectiveRepairsReachTheLimit() {
        assertSame(Opening.ACTIVE, Opening.decide("n1", SignalKind.ENTROPY_SPIKE, "a1", "g1", List.of(), 2, 3));
        Opening o = Opening.decide("n1", SignalKind.ENTROPY_SPIKE, "a1", "g1", List.of(), 3, 3);
        assertEquals(EventStatus.ESCALATED, o.status());
        assertTrue(o.reason().contains("ineffective 3 times"), o.reason());
        assertTrue(o.reason().contains("entropy_spike"), o.reason());
        assertNull(o.silenceId());
        assertFalse(o.repairs());
        assertTrue(Opening.ACTIVE.repairs());
    }

    @Test
    void aStormNeedsMoreThanTheFractionOfTheGroupAndAtLeastTheMinimumOfAssistants() {
        // 2 of 4 = 0.5 > 0.4
        assertTrue(StormGuard.overFraction(new StormGuard.Figures(2, 4), 0.4, 2));
        // 1 of 4 = 0.25
        assertFalse(StormGuard.overFraction(new StormGuard.Figures(1, 4), 0.4, 2));
        // exactly the fraction is not more than it: 2 of 5 = 0.4
        assertFalse(StormGuard.overFraction(new StormGuard.Figures(2, 5), 0.4, 2));
        // one assistant alone is never a storm, even the whole of its group
        assertFalse(StormGuard.overFraction(new StormGuard.Figures(1, 1), 0.4, 2));
        assertTrue(StormGuard.overFraction(new StormGuard.Figures(1, 1), 0.4, 1));
        // no registered assistant: nothing to compare
        assertFalse(StormGuard.overFraction(new StormGuard.Figures(0, 0), 0.4, 1));
        assertEquals(0.5, new StormGuard.Figures(2, 4).fraction(), 1e-12);
    }

    @Test
    void aGroupInAStormHoldsUntilItCalms() {
        StormGuard.Figures calm = new StormGuard.Figures(1, 4);
        StormGuard.Figures stormy = new StormGuard.Figures(3, 4);
        assertTrue(StormGuard.holds(true, calm, 0.4, 2), "in a storm: held even when this firing alone would not start one");
        assertTrue(StormGuard.holds(false, stormy, 0.4, 2));
        assertFalse(StormGuard.holds(false, calm, 0.4, 2));
        assertTrue(StormGuard.calm(calm, 0.4, 2));
        assertFalse(StormGuard.calm(stormy, 0.4, 2));
    }

    @Test
    void effectivenessIsTheShareOfJudgedRepairs() {
        assertNull(Effectiveness.share(0, 0));
        assertEquals(1.0, Effectiveness.share(3, 0), 1e-12);
        assertEquals(0.25, Effectiveness.share(1, 3), 1e-12);
        assertEquals(0.0, Effectiveness.share(0, 2), 1e-12);
    }

    @Test
    void aRuleWithoutSafetyFieldsTakesTheDefaults() {
        FiringRule r = new FiringRule(SignalKind.CODEX_CONFLICT, null, 60, 1, 30);
        assertEquals(120, r.verifySeconds());
        assertEquals(3, r.maxIneffective());
    }
}
