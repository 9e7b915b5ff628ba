package io.mythos.loadbalancer.planner;

import java.util.Arrays;

/**
 * A local search for small groups that evacuate-and-place leaves above the level they could reach: while
 * the hottest assistant (the one setting the group's level) can come down by moving one of its codices to
 * another assistant, or by exchanging one of its codices for a lighter one of another assistant, without
 * that other assistant reaching the old level, the best such step is taken. Each step strictly lowers the
 * sorted vector of utilizations, so the search ends; it is capped anyway.
 *
 * <p>Only codices of relieved assistants move (in assistant scope: the focus's own), and exchanges happen
 * between relieved assistants only.
 */
final class LocalSwaps {

    /** Groups above this many codices are left to evacuate-and-place alone (their codices are fine-grained). */
    static final int MAX_CODICES = 256;
    private static final int MAX_STEPS = 200;

    private final Assignment assignment;
    private final LoadMap map;
    private final Scope scope;
    private final GroupTarget target;
    private final int[] members;
    private final int[] codices;

    private final int maxMoves;

    LocalSwaps(Assignment assignment, Scope scope, GroupTarget target, int[] members, int[] codices, int maxMoves) {
        this.maxMoves = maxMoves;
        this.assignment = assignment;
        this.map = assignment.map;
        this.scope = scope;
        this.target = target;
        this.members = members;
        this.codices = codices;
    }

    void improve() {
        if (codices.length > MAX_CODICES) {
            return;
        }
        // steps that lower one of several assistants at the level cost moves and lower the level only once
        // all of them come down: keep the state in which the lowest level was first reached
        double bestLevel = target.levelOf(assignment, members);
        Assignment.Snapshot start = assignment.save(members, codices);
        Assignment.Snapshot best = null;
        boolean[] settled = new boolean[members.length];
        for (int step = 0; step < MAX_STEPS; step++) {
            int hot = hottest(settled);
            if (hot < 0) {
                break;
            }
            if (!stepDown(members[hot])) {
                settled[hot] = true; // nothing brings it down now; look at the next one at the same level
                continue;
            }
            Arrays.fill(settled, false);
            double level = target.levelOf(assignment, members);
            if (level < bestLevel * (1 - 1e-9)) {
                bestLevel = level;
                best = assignment.save(members, codices);
            }
        }
        assignment.restore(best != null ? best : start);
    }

    /**
     * The member index of an unsettled assistant at the group's level (the highest utilization above a
     * floor), or -1: lowering one below the level does not lower the level, so the search stops there.
     */
    private int hottest(boolean[] settled) {
        double level = target.levelOf(assignment, members);
        for (int i = 0; i < members.length; i++) {
            int a = members[i];
            if (!settled[i] && aboveFloor(a) && assignment.utilization(a) >= level * (1 - 1e-9)) {
                return i;
            }
        }
        return -1;
    }

    private boolean aboveFloor(int a) {
        return assignment.utilization(a) > target.floor(a) * (1 + 1e-9) + Planner.EPS;
    }

    /** The best single move or exchange that lowers {@code h}, keeping the other below h's utilization. */
    private boolean stepDown(int h) {
        if (!scope.relieves(h)) {
            return false;
        }
        double[] load = assignment.load;
        double[] cap = assignment.effectiveCapacity;
        double level = load[h] / cap[h];
        double bound = level * (1 - 1e-9) - Planner.EPS;
        double bestPair = bound;
        int bestX = -1;
        int bestY = -1;
        int bestTo = -1;
        for (int x : codices) {
            if (assignment.owner[x] != h || !target.movable(map.pressure[x])) {
                continue;
            }
            double px = map.pressure[x];
            for (int b : members) {
                if (b == h) {
                    continue;
                }
                double pair = Math.max((load[h] - px) / cap[h], (load[b] + px) / cap[b]);
                if (pair < bestPair && withinMoveBudget(x, b, -1, h)) {
                    bestPair = pair;
                    bestX = x;
                    bestY = -1;
                    bestTo = b;
                }
            }
            for (int y : codices) {
                int b = assignment.owner[y];
                double py = map.pressure[y];
                if (b == h || py >= px || !target.movable(py) || !scope.relieves(b)) {
                    continue;
                }
                double pair = Math.max((load[h] - px + py) / cap[h], (load[b] + px - py) / cap[b]);
                if (pair < bestPair && withinMoveBudget(x, b, y, h)) {
                    bestPair = pair;
                    bestX = x;
                    bestY = y;
                    bestTo = b;
                }
            }
        }
        if (bestX < 0) {
            return false;
        }
        move(bestX, bestTo);
        if (bestY >= 0) {
            move(bestY, h);
        }
        return true;
    }

    /** Whether moving x to b (and y to h, unless y is -1) keeps the plan within max_moves. */
    private boolean withinMoveBudget(int x, int b, int y, int h) {
        int added = movedDelta(x, b) + (y < 0 ? 0 : movedDelta(y, h));
        return added <= 0 || (long) assignment.movedCodices + added <= maxMoves;
    }

    private int movedDelta(int c, int to) {
        int home = assignment.home[c];
        return (to != home ? 1 : 0) - (assignment.owner[c] != home ? 1 : 0);
    }

    private void move(int c, int to) {
        LoadMap m = map;
        int from = assignment.owner[c];
        boolean wasMoved = from != assignment.home[c];
        boolean isMoved = to != assignment.home[c];
        assignment.movedCodices += (isMoved ? 1 : 0) - (wasMoved ? 1 : 0);
        assignment.load[from] -= m.pressure[c];
        assignment.load[to] += m.pressure[c];
        assignment.owner[c] = to;
    }
}
