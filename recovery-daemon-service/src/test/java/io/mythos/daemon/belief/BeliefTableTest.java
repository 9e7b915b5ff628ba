package io.mythos.daemon.belief;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.common.daemon.RecoveryRecord.ResyncAttempt;
import io.mythos.common.daemon.ResyncOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The fast path (BeliefTable, and BeliefMath and ZoneRecovery on it) against the straightforward map-by-map
 * reference (ReferenceBeliefMath), on seeded random zones: few names so that replicas miss beliefs, few
 * values so that medians meet ties, explicit zeros (also -0.0) beside missing beliefs, stale replicas,
 * names given twice, empty zones. Results must be identical (Double.equals), not merely close.
 */
class BeliefTableTest {

    private static final double[] COMMON = {0.0, -0.0, 0.25, 0.5, 0.5, 1.0};

    /** A random zone: each replica as the builder receives it (name, value) in order, and whether it is fresh. */
    private record Zone(List<List<Map.Entry<String, Double>>> puts, List<Boolean> fresh) {

        Map<String, Double> map(int replica) {
            Map<String, Double> m = new LinkedHashMap<>();
            puts.get(replica).forEach(e -> m.put(e.getKey(), e.getValue()));
            return m;
        }

        List<Map<String, Double>> freshMaps() {
            List<Map<String, Double>> out = new ArrayList<>();
            for (int r = 0; r < puts.size(); r++) {
                if (fresh.get(r)) {
                    out.add(map(r));
                }
            }
            return out;
        }

        BeliefTable table() {
            BeliefTable.Builder b = new BeliefTable.Builder();
            for (int r = 0; r < puts.size(); r++) {
                b.startReplica(fresh.get(r));
                puts.get(r).forEach(e -> b.put(e.getKey(), e.getValue()));
            }
            return b.build();
        }
    }

    private static Zone randomZone(Random random) {
        int replicas = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 6 : 40);
        int pool = 1 + random.nextInt(30);
        double presence = 0.1 + 0.9 * random.nextDouble();
        double staleShare = random.nextInt(3) == 0 ? 0.3 : 0;
        List<List<Map.Entry<String, Double>>> puts = new ArrayList<>();
        List<Boolean> fresh = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            List<Map.Entry<String, Double>> replica = new ArrayList<>();
            for (int n = 0; n < pool; n++) {
                if (random.nextDouble() < presence) {
                    replica.add(Map.entry("b" + n, value(random)));
                }
            }
            if (!replica.isEmpty() && random.nextInt(8) == 0) {
                // the same name again, with another value: the last one counts, as in a map
                replica.add(Map.entry(replica.get(random.nextInt(replica.size())).getKey(), value(random)));
            }
            java.util.Collections.shuffle(replica, random);
            puts.add(replica);
            fresh.add(random.nextDouble() >= staleShare);
        }
        return new Zone(puts, fresh);
    }

    private static double value(Random random) {
        return random.nextBoolean() ? COMMON[random.nextInt(COMMON.length)] : random.nextDouble();
    }

    @Test
    void theTableGivesTheReferenceConsensusAndDivergencesOnRandomZones() {
        Random random = new Random(20261130);
        int zonesWithStale = 0;
        int zonesWithTies = 0;
        for (int i = 0; i < 3000; i++) {
            Zone zone = randomZone(random);
            List<Map<String, Double>> fresh = zone.freshMaps();
            Map<String, Double> expected = ReferenceBeliefMath.consensus(fresh);
            BeliefTable table = zone.table();
            int index = i;
            Supplier<String> what = () -> "zone " + index + ": " + zone;

            Map<String, Double> consensus = table.consensus();
            assertEquals(expected, consensus, what);
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(consensus.keySet()), what);
            double[] divergences = table.divergences();
            for (int r = 0; r < zone.puts().size(); r++) {
                int replica = r;
                Double want = zone.fresh().get(r) ? ReferenceBeliefMath.divergence(zone.map(r), expected) : Double.NaN;
                assertEquals(want, (Double) divergences[r], () -> what.get() + ", replica " + replica);
            }
            assertEquals((Double) ReferenceBeliefMath.zoneDivergence(fresh), (Double) table.zoneDivergence(), what);
            Set<String> names = new HashSet<>();
            zone.puts().forEach(p -> p.forEach(e -> names.add(e.getKey())));
            assertEquals(names.size(), table.beliefCount(), what);
            assertEquals(zone.puts().size(), table.replicaCount(), what);

            // the map API on it
            assertEquals(expected, BeliefMath.consensus(fresh), what);
            assertEquals((Double) ReferenceBeliefMath.zoneDivergence(fresh), (Double) BeliefMath.zoneDivergence(fresh), what);

            zonesWithStale += zone.fresh().contains(false) ? 1 : 0;
            zonesWithTies += fresh.size() % 2 == 0 && !fresh.isEmpty() ? 1 : 0;
        }
        // the generator does reach the cases it is for
        assertTrue(zonesWithStale > 300, "stale: " + zonesWithStale);
        assertTrue(zonesWithTies > 300, "even counts: " + zonesWithTies);
    }

    @Test
    void aRecoveryPlansAndScoresAsTheReferenceDoes() {
        Random random = new Random(7);
        RecoveryParameters p = ZoneRecoveryTest.DESIGN_DEFAULTS;
        for (int i = 0; i < 1000; i++) {
            Zone zone = randomZone(random);
            List<Replica> replicas = new ArrayList<>();
            for (int r = 0; r < zone.puts().size(); r++) {
                replicas.add(new Replica("a" + r, r + 1, zone.map(r)));
            }
            List<Map<String, Double>> maps = new ArrayList<>();
            replicas.forEach(r -> maps.add(r.beliefs()));
            Map<String, Double> consensus = ReferenceBeliefMath.consensus(maps);
            int index = i;
            Supplier<String> what = () -> "zone " + index + ": " + zone;

            ZoneRecovery.Plan plan = ZoneRecovery.plan(replicas, p);
            assertEquals(consensus, plan.consensus(), what);
            for (Replica r : replicas) {
                assertEquals((Double) ReferenceBeliefMath.divergence(r.beliefs(), consensus), plan.divergences().get(r.assistantId()), what);
            }
            assertEquals((Double) ReferenceBeliefMath.zoneDivergence(maps), (Double) plan.zoneDivergence(), what);

            Set<String> applied = new HashSet<>();
            plan.moves().forEach(m -> {
                if (random.nextBoolean()) {
                    applied.add(m.replica().assistantId());
                }
            });
            ZoneRecovery.Outcome outcome = plan.outcome(applied);
            List<Map<String, Double>> after = new ArrayList<>();
            Map<String, Map<String, Double>> moved = new LinkedHashMap<>();
            plan.moves().forEach(m -> moved.put(m.replica().assistantId(), m.moved()));
            for (Replica r : replicas) {
                after.add(applied.contains(r.assistantId()) ? moved.get(r.assistantId()) : r.beliefs());
            }
            Map<String, Double> consensusAfter = ReferenceBeliefMath.consensus(after);
            assertEquals((Double) ReferenceBeliefMath.zoneDivergence(after), (Double) outcome.zoneDivergenceAfter(), what);
            for (ResyncAttempt a : outcome.attempts()) {
                double want = a.status() == ResyncOutcome.APPLIED
                        ? ReferenceBeliefMath.divergence(moved.get(a.assistantId()), consensusAfter)
                        : plan.divergences().get(a.assistantId());
                assertEquals((Double) want, (Double) a.divergenceAfter(), () -> what.get() + ", " + a.assistantId());
            }
        }
    }

    @Test
    void aBeliefOnlyStaleReplicasNameCountsForTheCapNotForTheConsensus() {
        BeliefTable table = new BeliefTable.Builder()
                .startReplica(true).put("a", 0.9)
                .startReplica(true).put("a", 0.5)
                .startReplica(false).put("a", 0.0).put("old", 1.0)
                .build();
        assertEquals(Map.of("a", 0.7), table.consensus());
        assertEquals(2, table.beliefCount());
        assertEquals(3, table.replicaCount());
        assertEquals(0.2, table.zoneDivergence(), 1e-12);
        assertTrue(Double.isNaN(table.divergences()[2]));
        assertEquals(4, table.valueCount());
    }

    @Test
    void anEmptyZoneHasNoConsensusAndNoDivergence() {
        BeliefTable empty = new BeliefTable.Builder().build();
        assertEquals(Map.of(), empty.consensus());
        assertEquals(0.0, empty.zoneDivergence());
        BeliefTable onlyStale = new BeliefTable.Builder().startReplica(false).put("x", 0.4).build();
        assertEquals(Map.of(), onlyStale.consensus());
        assertEquals(0.0, onlyStale.zoneDivergence());
    }
}
