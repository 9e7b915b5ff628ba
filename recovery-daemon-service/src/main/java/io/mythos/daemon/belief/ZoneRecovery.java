package io.mythos.daemon.belief;

import io.mythos.common.daemon.RecoveryRecord.DetectedFailure;
import io.mythos.common.daemon.RecoveryRecord.ReplicaDivergence;
import io.mythos.common.daemon.RecoveryRecord.ResyncAttempt;
import io.mythos.common.daemon.ResyncOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One recovery of one zone in two pure steps: {@link #plan} (what to move, from the replicas as read)
 * and {@link Plan#outcome} (what the zone looks like once the resyncs that were applied are known).
 */
public final class ZoneRecovery {

    private ZoneRecovery() {
    }

    /** A replica to resync: its realignment vector, its beliefs once moved, and the corrections as text. */
    public record Move(Replica replica, Map<String, Double> vector, Map<String, Double> moved, List<String> script) {
    }

    /** The zone as read: consensus, divergences, and the moves of the replicas above epsilon. */
    public record Plan(List<Replica> replicas, Map<String, Double> consensus, Map<String, Double> divergences,
                       double zoneDivergence, List<Move> moves, RecoveryParameters parameters) {

        public boolean converged() {
            return zoneDivergence <= parameters.epsilon();
        }

        /** The most divergent replica (first by assistant order on ties); null for an empty zone. */
        public String mostDivergent() {
            String best = null;
            double max = -1;
            for (Map.Entry<String, Double> e : divergences.entrySet()) {
                if (e.getValue() > max) {
                    max = e.getValue();
                    best = e.getKey();
                }
            }
            return best;
        }

        /** The zone after the resyncs of {@code applied} (assistant ids); the others were conflicts. */
        public Outcome outcome(Set<String> applied) {
            List<Map<String, Double>> after = new ArrayList<>(replicas.size());
            Map<String, Map<String, Double>> movedById = new LinkedHashMap<>();
            for (Move m : moves) {
                if (applied.contains(m.replica().assistantId())) {
                    movedById.put(m.replica().assistantId(), m.moved());
                }
            }
            for (Replica r : replicas) {
                after.add(movedById.getOrDefault(r.assistantId(), r.beliefs()));
            }
            BeliefTable tableAfter = BeliefTable.of(after);
            double[] divergenceAfter = tableAfter.divergences();
            double zoneAfter = tableAfter.zoneDivergence();
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < replicas.size(); i++) {
                index.put(replicas.get(i).assistantId(), i);
            }
            List<ResyncAttempt> attempts = new ArrayList<>();
            Map<String, Map<String, Double>> vectors = new LinkedHashMap<>();
            StringBuilder script = new StringBuilder();
            for (Move m : moves) {
                String id = m.replica().assistantId();
                double before = divergences.get(id);
                vectors.put(id, m.vector());
                if (movedById.containsKey(id)) {
                    attempts.add(new ResyncAttempt(id, m.replica().version(), before,
                            divergenceAfter[index.get(id)], ResyncOutcome.APPLIED));
                    m.script().forEach(line -> script.append(line).append('\n'));
                } else {
                    attempts.add(new ResyncAttempt(id, m.replica().version(), before, before, ResyncOutcome.CONFLICT));
                    script.append(id).append(": conflict, version ").append(m.replica().version())
                            .append(" was replaced by a newer report; retried next cycle\n");
                }
            }
            List<ReplicaDivergence> detected = new ArrayList<>();
            divergences.forEach((id, d) -> detected.add(new ReplicaDivergence(id, d)));
            return new Outcome(new DetectedFailure(zoneDivergence, parameters.divergenceThreshold(), detected),
                    attempts, vectors, script.toString(), zoneAfter,
                    BeliefMath.recoveryScore(zoneDivergence, zoneAfter));
        }
    }

    /** What one recovery record holds, plus the zone's divergence after it. */
    public record Outcome(DetectedFailure detectedFailure, List<ResyncAttempt> attempts,
                          Map<String, Map<String, Double>> vectors, String scripts, double zoneDivergenceAfter,
                          double recoveryScore) {

        public long appliedCount() {
            return attempts.stream().filter(a -> a.status() == ResyncOutcome.APPLIED).count();
        }

        public long conflictCount() {
            return attempts.size() - appliedCount();
        }
    }

    /** Reads the zone: consensus over the (fresh) replicas and a move for each one above epsilon. */
    public static Plan plan(List<Replica> replicas, RecoveryParameters p) {
        List<Map<String, Double>> beliefs = new ArrayList<>(replicas.size());
        replicas.forEach(r -> beliefs.add(r.beliefs()));
        BeliefTable table = BeliefTable.of(beliefs);
        Map<String, Double> consensus = table.consensus();
        double[] divergence = table.divergences();
        Map<String, Double> divergences = new LinkedHashMap<>();
        double zone = 0;
        List<Move> moves = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            Replica r = replicas.get(i);
            double d = divergence[i];
            divergences.put(r.assistantId(), d);
            zone = Math.max(zone, d);
            if (d > p.epsilon()) {
                Map<String, Double> vector = BeliefMath.realignment(r.beliefs(), consensus);
                Map<String, Double> moved = BeliefMath.resync(r.beliefs(), vector, p.resyncRate());
                moves.add(new Move(r, vector, moved,
                        BeliefMath.scriptLines(r.assistantId(), r.beliefs(), moved, consensus)));
            }
        }
        return new Plan(List.copyOf(replicas), consensus, divergences, zone, moves, p);
    }
}
