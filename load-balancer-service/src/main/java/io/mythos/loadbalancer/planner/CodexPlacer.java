package io.mythos.loadbalancer.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Placing codices inside one group, by evacuate-and-place passes. Every assistant above the target
 * sheds the fewest codices that cover its excess ({@link ExcessCover}); the shed codices are placed
 * heaviest first on the assistant with the most headroom under the target (worst-fit decreasing); a
 * codex that fits nowhere may eject the fewest smaller codices from a receiver, if they fit elsewhere,
 * and those go back into the queue; a codex that still fits nowhere goes home and is marked stuck, so
 * that its donor sheds something else in the next pass.
 *
 * <p>Rounds of passes repeat until a round moves nothing, so that planning the applied result again
 * moves nothing. Receivers never go above the target and donors only lose load, so no utilization rises
 * (a final check puts the group back as it was if it ever would).
 */
final class CodexPlacer {

    private static final int MAX_PASSES = 12;
    private static final int MAX_ROUNDS = 6;
    /** An ejection looks at this many of the roomiest receivers. */
    private static final int EJECT_CANDIDATES = 16;
    private static final int MAX_EJECTED = 64;
    /** The ejected codices must fit into the headroom of this many other receivers. */
    private static final int SPARE_ROOMS = 64;

    private final Assignment assignment;
    private final LoadMap map;
    private final Scope scope;
    private final int[] members;
    private final int[] codices;
    private final GroupTarget target;
    private final int maxMoves;
    private final int[] passOrigin;
    private final boolean[] placedThisPass;
    private final boolean[] stuck;
    private final Receivers receivers;
    private final HeldCodices held;
    /** Whether the current pass left some codex with another owner than it had at the pass's start. */
    private boolean ownersChanged;

    CodexPlacer(Assignment assignment, Scope scope, PlacementWorkspace workspace, int[] members, int[] codices,
                GroupTarget target, int maxMoves) {
        this.assignment = assignment;
        this.map = assignment.map;
        this.scope = scope;
        this.members = members;
        this.codices = codices;
        this.target = target;
        this.maxMoves = maxMoves;
        this.passOrigin = workspace.passOrigin;
        this.placedThisPass = workspace.placedThisPass;
        this.stuck = workspace.stuck;
        this.receivers = workspace.receivers;
        this.held = new HeldCodices(map, target);
    }

    void place() {
        double maxBefore = 0;
        double[] utilizationBefore = new double[members.length];
        for (int i = 0; i < members.length; i++) {
            utilizationBefore[i] = assignment.utilization(members[i]);
            maxBefore = Math.max(maxBefore, utilizationBefore[i]);
        }
        // Rounds of passes until a round from scratch (no codex marked stuck yet) moves nothing: that
        // round is exactly what planning the applied result again does, so the plan is stable.
        for (int round = 0; round < MAX_ROUNDS; round++) {
            for (int c : codices) {
                stuck[c] = false;
            }
            boolean moved = false;
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                ownersChanged = false;
                boolean progress = pass();
                moved |= ownersChanged;
                if (!progress) {
                    break;
                }
            }
            if (!moved) {
                break;
            }
        }
        // Guard: receivers stay under the target and donors only shed, so this never fires; if an ejection
        // chain ever left an assistant above both its own start and the target, keep the group as it was.
        for (int i = 0; i < members.length; i++) {
            double u = assignment.utilization(members[i]);
            if (u > Math.max(utilizationBefore[i], target.target()) + 1e-9 || u > maxBefore + 1e-9) {
                revert();
                return;
            }
        }
    }

    private void revert() {
        for (int c : codices) {
            int home = assignment.home[c];
            if (assignment.owner[c] != home) {
                assignment.load[assignment.owner[c]] -= map.pressure[c];
                assignment.load[home] += map.pressure[c];
                assignment.owner[c] = home;
                assignment.movedCodices--;
            }
        }
    }

    /** One pass; true when it changed some owner or marked a codex stuck. */
    private boolean pass() {
        List<Integer> donors = new ArrayList<>();
        for (int a : members) {
            if (scope.relieves(a) && target.exceededBy(assignment, a)) {
                donors.add(a);
            }
        }
        if (donors.isEmpty()) {
            return false;
        }
        held.index(codices, assignment.owner);
        donors.sort(assignment::moreUtilizedFirst);
        double room = largestRoom(donors);
        IntHeap pending = new IntHeap(map::heavierFirst);
        for (int a : donors) {
            // only codices that could land somewhere (possibly by ejecting smaller ones), and none that
            // already failed to: a donor with one huge codex sheds its small ones instead
            int[] candidates = Arrays.stream(held.movableHeaviestFirst(a))
                    .filter(c -> !stuck[c] && map.pressure[c] <= room + Planner.EPS).toArray();
            double excess = assignment.load[a] - target.allowedLoad(assignment, a);
            for (int c : ExcessCover.fewestCovering(candidates, map.pressure, excess)) {
                lift(c, a, pending);
            }
        }
        receivers.reset(assignment, members, target);
        boolean changed = false;
        while (!pending.isEmpty()) {
            int c = pending.poll();
            double p = map.pressure[c];
            int roomiest = receivers.roomiest();
            int to;
            if (receivers.headroom(roomiest) + Planner.EPS * Math.max(1, p) >= p && withinMoveBudget(c, roomiest, 0)) {
                to = roomiest;
            } else {
                to = eject(c, pending);
                if (to < 0) {
                    to = passOrigin[c];
                    if (!stuck[c]) {
                        stuck[c] = true;
                        changed = true; // the next pass sheds something else instead
                    }
                }
            }
            if (to != passOrigin[c]) {
                changed = true;
                ownersChanged = true;
            }
            put(c, to);
            placedThisPass[c] = true;
        }
        for (int c : codices) {
            placedThisPass[c] = false;
        }
        return changed;
    }

    /** Takes a codex off an assistant into the queue: in flight, it is neither ejectable nor counted anywhere. */
    private void lift(int c, int from, IntHeap pending) {
        assignment.load[from] -= map.pressure[c];
        passOrigin[c] = from;
        assignment.owner[c] = -1;
        pending.add(c);
    }

    private void put(int c, int to) {
        boolean wasMoved = passOrigin[c] != assignment.home[c];
        boolean isMoved = to != assignment.home[c];
        assignment.movedCodices += (isMoved ? 1 : 0) - (wasMoved ? 1 : 0);
        assignment.owner[c] = to;
        assignment.load[to] += map.pressure[c];
        receivers.take(to, map.pressure[c]);
    }

    /**
     * The most room any non-donor could offer one codex: its headroom under the target plus its movable
     * codices (which an ejection could hand on).
     */
    private double largestRoom(List<Integer> donors) {
        Set<Integer> donorSet = new HashSet<>(donors);
        double best = 0;
        for (int a : members) {
            if (!donorSet.contains(a)) {
                best = Math.max(best, held.roomWithMovable(a, target.headroomOf(assignment, a)));
            }
        }
        return best;
    }

    /** Whether putting c on {@code to} (and ejecting {@code ejected} codices) stays within max_moves. */
    private boolean withinMoveBudget(int c, int to, int ejected) {
        int added = (to != assignment.home[c] && passOrigin[c] == assignment.home[c] ? 1 : 0) + ejected;
        return added == 0 || (long) assignment.movedCodices + added <= maxMoves;
    }

    /**
     * Makes room for c on one of the receivers with the most headroom by ejecting the fewest smaller
     * codices that were there at the start of the pass (heaviest first), provided the ejected ones fit in
     * the remaining headroom elsewhere. Returns the receiver, or -1.
     */
    private int eject(int c, IntHeap pending) {
        double p = map.pressure[c];
        int bestTo = -1;
        List<Integer> bestOut = null;
        int seen = 0;
        for (int j : receivers) {
            if (seen++ >= EJECT_CANDIDATES || receivers.headroom(j) < 0) {
                break;
            }
            if (j == passOrigin[c]) {
                continue;
            }
            List<Integer> out = new ArrayList<>();
            double room = receivers.headroom(j);
            for (int e : held.movableHeaviestFirst(j)) {
                if (room + Planner.EPS >= p || out.size() == MAX_EJECTED) {
                    break;
                }
                if (assignment.owner[e] == j && !placedThisPass[e] && map.pressure[e] < p) {
                    out.add(e);
                    room += map.pressure[e];
                }
            }
            if (room + Planner.EPS >= p && (bestOut == null || out.size() < bestOut.size())
                    && fitsElsewhere(out, j) && withinMoveBudget(c, j, out.size())) {
                bestTo = j;
                bestOut = out;
            }
        }
        if (bestTo < 0) {
            return -1;
        }
        for (int e : bestOut) {
            receivers.release(bestTo, map.pressure[e]);
            lift(e, bestTo, pending);
        }
        return bestTo;
    }

    /** First-fit decreasing of the ejected codices into the largest headrooms other than j's. */
    private boolean fitsElsewhere(List<Integer> ejected, int j) {
        double[] rooms = new double[SPARE_ROOMS];
        int n = 0;
        for (int r : receivers) {
            if (n == rooms.length) {
                break;
            }
            if (r != j) {
                rooms[n++] = receivers.headroom(r);
            }
        }
        for (int e : ejected) {
            boolean fit = false;
            for (int i = 0; i < n && !fit; i++) {
                if (rooms[i] + Planner.EPS >= map.pressure[e]) {
                    rooms[i] -= map.pressure[e];
                    fit = true;
                }
            }
            if (!fit) {
                return false;
            }
        }
        return true;
    }
}
