package io.mythos.daemon.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.daemon.belief.BeliefTable;
import io.mythos.daemon.belief.ReferenceBeliefMath;
import io.mythos.daemon.repository.ReplicaRepository.ReplicaMeta;
import io.mythos.daemon.repository.ReplicaRepository.StoredZone;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parsed-replica cache: a zone read with some texts left out (unchanged rows) gives the same table as
 * a read that parses every replica; replicas gone are forgotten (their names no longer count for the cap);
 * the bound holds.
 */
class ParsedZonesTest {

    private static final OffsetDateTime T = OffsetDateTime.parse("2026-11-30T04:00:00Z");

    private static ReplicaMeta meta(String id, long version, boolean fresh) {
        return new ReplicaMeta(id, version, T, fresh);
    }

    private static StoredZone read(ParsedZones cache, String zone, List<ParsedZones.Read> reads) {
        ParsedZones.Zone entry = cache.zone(zone);
        StoredZone stored = entry.update(reads, entry.snapshot());
        cache.updated(zone, entry, stored.beliefs().beliefCount());
        return stored;
    }

    private static BeliefTable parsedWhole(List<String> texts, List<Boolean> fresh) {
        BeliefTable.Builder b = new BeliefTable.Builder();
        for (int i = 0; i < texts.size(); i++) {
            BeliefMapText.readInto(texts.get(i), b, fresh.get(i));
        }
        return b.build();
    }

    private static void assertSame(BeliefTable want, BeliefTable got) {
        assertEquals(want.consensus(), got.consensus());
        assertArrayEquals(want.divergences(), got.divergences());
        assertEquals(want.zoneDivergence(), got.zoneDivergence());
        assertEquals(want.beliefCount(), got.beliefCount());
        assertEquals(want.replicaCount(), got.replicaCount());
    }

    @Test
    void onlyTheChangedReplicasAreReadAndTheTableIsTheWholeParse() {
        ParsedZones cache = new ParsedZones(1_000);
        String a1 = "{\"x\":0.9,\"y\":0.1}";
        String a2 = "{\"x\":0.5,\"gone\":0.3}";
        String a3 = "{\"x\":0.4}";
        StoredZone first = read(cache, "z", List.of(new ParsedZones.Read(meta("a1", 1, true), 100, a1),
                new ParsedZones.Read(meta("a2", 1, true), 100, a2), new ParsedZones.Read(meta("a3", 1, false), 100, a3)));
        assertSame(parsedWhole(List.of(a1, a2, a3), List.of(true, true, false)), first.beliefs());
        assertEquals(3, first.beliefs().beliefCount());
        assertEquals(5, cache.values());

        // a1 reported again (new names), a2 deleted, a3 unchanged (no text: the cached row is reused)
        String a1b = "{\"x\":0.2,\"z\":0.7}";
        StoredZone second = read(cache, "z", List.of(new ParsedZones.Read(meta("a1", 2, true), 100, a1b),
                new ParsedZones.Read(meta("a3", 1, true), 100, null)));
        BeliefTable want = parsedWhole(List.of(a1b, a3), List.of(true, true));
        assertSame(want, second.beliefs());
        assertEquals(2, second.beliefs().beliefCount(), "names only a deleted or rewritten replica had do not count");
        assertEquals(Map.of("x", 0.30000000000000004, "z", 0.35),
                ReferenceBeliefMath.consensus(List.of(Map.of("x", 0.2, "z", 0.7), Map.of("x", 0.4))));
        assertEquals(ReferenceBeliefMath.consensus(List.of(Map.of("x", 0.2, "z", 0.7), Map.of("x", 0.4))),
                second.beliefs().consensus());
        assertEquals(List.of("a1", "a3"), second.replicas().stream().map(ReplicaMeta::assistantId).toList());
        assertEquals(3, cache.values());
    }

    @Test
    void aRowWithoutTextThatWasNeverParsedIsAnError() {
        ParsedZones cache = new ParsedZones(1_000);
        assertThrows(IllegalStateException.class,
                () -> read(cache, "z", List.of(new ParsedZones.Read(meta("a1", 1, true), 100, null))));
    }

    @Test
    void theLeastRecentlyUsedZonesGoAndAZoneAboveTheBoundIsNotKept() {
        ParsedZones cache = new ParsedZones(10);
        String six = "{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1}";
        read(cache, "z1", List.of(new ParsedZones.Read(meta("a1", 1, true), 100, six)));
        assertTrue(cache.holds("z1"));
        read(cache, "z2", List.of(new ParsedZones.Read(meta("a1", 1, true), 100, six)));
        assertFalse(cache.holds("z1"));
        assertTrue(cache.holds("z2"));
        assertEquals(6, cache.values());

        List<ParsedZones.Read> big = new ArrayList<>();
        big.add(new ParsedZones.Read(meta("a1", 1, true), 100, six));
        big.add(new ParsedZones.Read(meta("a2", 1, true), 100, six));
        StoredZone stored = read(cache, "z3", big);
        assertEquals(12, stored.beliefs().valueCount());
        assertFalse(cache.holds("z3"), "a zone above the bound alone is parsed, not kept");
        assertTrue(cache.values() <= 10);
    }
}
