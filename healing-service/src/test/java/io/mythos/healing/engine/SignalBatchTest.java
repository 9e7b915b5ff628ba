package io.mythos.healing.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mythos.common.healing.SignalKind;
import io.mythos.common.healing.SignalRequest;
import io.mythos.common.healing.SignalResponse;
import io.mythos.healing.engine.SignalBatch.CountedOn;
import io.mythos.healing.engine.SignalBatch.Outcome;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which requests of a batch are stored, and what each is answered. */
class SignalBatchTest {

    private static final OffsetDateTime T = OffsetDateTime.parse("2026-03-01T12:00:00Z");
    private static final Map<SignalKind, FiringRule> RULES = Map.of(
            SignalKind.CODEX_CONFLICT, new FiringRule(SignalKind.CODEX_CONFLICT, null, 60, 1, 30),
            SignalKind.SYMBOLIC_ERROR, new FiringRule(SignalKind.SYMBOLIC_ERROR, null, 60, 1, 30));

    private static SignalRequest s(String node, String assistant, SignalKind kind) {
        return new SignalRequest(node, assistant, kind, null, T, null);
    }

    @Test
    void aRequestNamingAnUnregisteredAssistantIsRejectedWholeAndTheOthersAreKept() {
        SignalBatch batch = SignalBatch.of(List.of(
                List.of(s("n1", "a", SignalKind.CODEX_CONFLICT)),
                List.of(s("n2", "a", SignalKind.CODEX_CONFLICT), s("n2", "ghost", SignalKind.CODEX_CONFLICT),
                        s("n2", "phantom", SignalKind.CODEX_CONFLICT)),
                List.of(s("n3", "a", SignalKind.CODEX_CONFLICT))));
        assertEquals(Set.of("a", "ghost", "phantom"), batch.assistantIds());

        batch.rejectUnknown(Set.of("a"));

        assertEquals(List.of(0, 4), batch.accepted().stream().map(Signal::ord).toList());
        List<Outcome> outcomes = batch.outcomes(List.of(), List.of());
        assertEquals(1, outcomes.get(0).response().accepted());
        assertNull(outcomes.get(1).response());
        assertEquals(Set.of("ghost", "phantom"), outcomes.get(1).unknownAssistants());
        assertEquals(List.of(), outcomes.get(2).response().fired());
    }

    @Test
    void eachRequestListsItsEventsOnceAndOnlyTheHolderOfTheFirstSignalIsToldNew() {
        SignalBatch batch = SignalBatch.of(List.of(
                List.of(s("n", "a", SignalKind.SYMBOLIC_ERROR), s("n", "a", SignalKind.SYMBOLIC_ERROR),
                        s("n", "a", SignalKind.CODEX_CONFLICT)),
                List.of(s("n", "a", SignalKind.SYMBOLIC_ERROR)),
                List.of(s("quiet", "a", SignalKind.SYMBOLIC_ERROR))));
        batch.rejectUnknown(Set.of("a"));
        List<FiringGroup> groups = Firing.group(Firing.firing(Firing.plan(batch.accepted(), RULES), Map.of()), RULES);
        UUID codex = UUID.randomUUID();
        UUID symbolic = UUID.randomUUID();
        UUID quiet = UUID.randomUUID();
        // groups: (n, symbolic_error) opened now, (n, codex_conflict) counted on an existing event, (quiet, ...) opened
        List<CountedOn> counted = groups.stream().map(g -> g.nodeId().equals("quiet") ? new CountedOn(quiet, true)
                : g.trigger() == SignalKind.SYMBOLIC_ERROR ? new CountedOn(symbolic, true) : new CountedOn(codex, false)).toList();

        List<Outcome> outcomes = batch.outcomes(groups, counted);

        assertEquals(new SignalResponse(3, List.of(
                        new SignalResponse.Fired(symbolic, "n", SignalKind.SYMBOLIC_ERROR, true),
                        new SignalResponse.Fired(codex, "n", SignalKind.CODEX_CONFLICT, false))),
                outcomes.get(0).response(), "in the order of its signals, each event once");
        assertEquals(new SignalResponse(1, List.of(new SignalResponse.Fired(symbolic, "n", SignalKind.SYMBOLIC_ERROR, false))),
                outcomes.get(1).response(), "the same event, not new to this request");
        assertEquals(List.of(new SignalResponse.Fired(quiet, "quiet", SignalKind.SYMBOLIC_ERROR, true)),
                outcomes.get(2).response().fired());
    }

    @Test
    void aRejectedRequestIsNotToldAboutEvents() {
        SignalBatch batch = SignalBatch.of(List.of(List.of(s("n", "ghost", SignalKind.CODEX_CONFLICT))));
        batch.reject(0, "ghost");
        assertEquals(List.of(), batch.accepted());
        assertEquals(Set.of("ghost"), batch.outcomes(List.of(), List.of()).get(0).unknownAssistants());
    }
}
