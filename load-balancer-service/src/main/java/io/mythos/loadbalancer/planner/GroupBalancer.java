package io.mythos.loadbalancer.planner;

/**
 * One group's codex placement: the lowest target its whole codices reach, then few moves at that target.
 *
 * <p>First {@link CodexPlacer} aims at the group's first target ({@link GroupTarget#of}). Large groups of
 * small codices nearly always reach it, and that is the plan. When it is out of reach with whole codices
 * (lumpy pressures, small groups), the plan still minimises the max utilization: a binary search over
 * targets between the first target and the best level found so far, with evacuate-and-place as the
 * feasibility test. The incumbent is the better of the first attempt and a full LPT reassignment (small
 * groups only), and every attempt that lowers the level becomes the incumbent, whether or not it reached its
 * own target; 1.0 is tried explicitly, so that a group that evacuate-and-place can bring to or below 1.0 ends
 * there. At the lowest level found, the plan with the fewest moves (then the least moved pressure) is kept,
 * and moves that bought nothing are sent home ({@link MoveTrimmer}).
 */
final class GroupBalancer {

    /** Bisection steps of the target search, for a group of up to {@link #FULL_SEARCH_CODICES} codices. */
    private static final int SEARCH_STEPS = 24;
    private static final int FULL_SEARCH_CODICES = 20_000;
    /** Above this, the search gets proportionally fewer steps, so that its cost stays near one placement's. */
    private static final long SEARCH_BUDGET = 400_000;
    private static final int LPT_MAX_CODICES = 20_000;
    /** Two levels closer than this (relative) are the same level. */
    private static final double SAME_LEVEL = 1e-9;
    /** Re-plans of the group's own result, until one finds nothing lower (see {@link #balance}). */
    private static final int MAX_REPLANS = 4;

    private final Assignment assignment;
    private final LoadMap map;
    private final Scope scope;
    private final PlacementWorkspace workspace;
    private final int[] members;
    private final int[] codices;
    private final GroupTarget first;
    private final double targetImbalance;
    private final int maxMoves;

    GroupBalancer(Assignment assignment, Scope scope, PlacementWorkspace workspace, int[] members, int[] codices,
                  GroupTarget first, double targetImbalance, int maxMoves) {
        this.targetImbalance = targetImbalance;
        this.assignment = assignment;
        this.map = assignment.map;
        this.scope = scope;
        this.workspace = workspace;
        this.members = members;
        this.codices = codices;
        this.first = first;
        this.maxMoves = maxMoves;
    }

    /** A finished placement of the group and what it reached. */
    private record Candidate(Assignment.Snapshot state, double level, int moves, double movedPressure) {

        boolean betterThan(Candidate other) {
            if (level < other.level * (1 - SAME_LEVEL)) {
                return true;
            }
            if (level > other.level * (1 + SAME_LEVEL)) {
                return false;
            }
            return moves < other.moves || (moves == other.moves && movedPressure < other.movedPressure - Planner.EPS);
        }
    }

    void balance() {
        if (search(first) && maxMoves == Integer.MAX_VALUE) {
            // Stable: the search is a heuristic, and from its own result it may find a lower level still. Re-plan
            // the result as if applied (moves counted from there) until that finds nothing, so that planning the
            // applied result again moves nothing.
            for (int round = 0; round < MAX_REPLANS; round++) {
                int groupMoves = movesOf();
                assignment.movedCodices -= groupMoves;
                for (int c : codices) {
                    assignment.home[c] = assignment.owner[c];
                }
                GroupTarget again = GroupTarget.of(assignment, scope, members, codices, targetImbalance, workspace.floor);
                search(again);
                boolean changed = movesOf() > 0;
                for (int c : codices) {
                    assignment.home[c] = map.codexOwner[c];
                }
                assignment.movedCodices += movesOf();
                if (!changed) {
                    break;
                }
            }
        }
    }

    /**
     * Places the group aiming at {@code aim}, searching for the lowest reachable target when {@code aim} is
     * out of reach; true when it searched.
     */
    private boolean search(GroupTarget aim) {
        Assignment.Snapshot start = assignment.save(members, codices);
        // doing nothing is the first incumbent: a plan moves codices only to reach a lower level
        Candidate best = new Candidate(start, aim.levelOf(assignment, members), 0, 0);
        new CodexPlacer(assignment, scope, workspace, members, codices, aim, maxMoves).place();
        if (aim.levelOf(assignment, members) <= aim.target() * (1 + SAME_LEVEL)) {
            MoveTrimmer.trim(assignment, aim, codices);
            return false;
        }
        Candidate placed = finish(aim);
        best = placed.betterThan(best) ? placed : best;
        if (codices.length <= LPT_MAX_CODICES) {
            assignment.restore(start);
            LptPlacement.place(assignment, scope, aim, members, codices);
            if (assignment.movedCodices <= maxMoves) {
                Candidate lpt = finish(aim);
                best = lpt.betterThan(best) ? lpt : best;
            }
        }
        double low = aim.target();
        if (low < 1.0 && best.level() > 1.0 + Planner.EPS) {
            best = attempt(start, aim.at(1.0), best);
        }
        int steps = codices.length <= FULL_SEARCH_CODICES ? SEARCH_STEPS
                : (int) Math.max(1, Math.min(SEARCH_STEPS, SEARCH_BUDGET / codices.length));
        for (int step = 0; step < steps && best.level() - low > SAME_LEVEL * best.level(); step++) {
            double mid = (low + best.level()) / 2;
            Candidate tried = attempt(start, aim.at(mid), best);
            if (tried == best) {
                low = mid;
            }
            best = tried;
        }
        // at the lowest level found, aiming exactly there may need fewer moves than the attempt that found it
        best = attempt(start, aim.at(best.level()), best);
        assignment.restore(best.state());
        return true;
    }

    /** The group's codices away from their home. */
    private int movesOf() {
        int moves = 0;
        for (int c : codices) {
            if (assignment.owner[c] != assignment.home[c]) {
                moves++;
            }
        }
        return moves;
    }

    /** Places from the start aiming at {@code target}; returns the better of that and {@code best}. */
    private Candidate attempt(Assignment.Snapshot start, GroupTarget aim, Candidate best) {
        assignment.restore(start);
        new CodexPlacer(assignment, scope, workspace, members, codices, aim, maxMoves).place();
        Candidate tried = finish(aim);
        if (tried.betterThan(best)) {
            return tried;
        }
        return best;
    }

    /** Improves the current placement locally, trims it at the level it reached and records it. */
    private Candidate finish(GroupTarget aim) {
        new LocalSwaps(assignment, scope, aim, members, codices, maxMoves).improve();
        MoveTrimmer.trim(assignment, aim.at(aim.levelOf(assignment, members)), codices);
        int moves = 0;
        double moved = 0;
        for (int c : codices) {
            if (assignment.owner[c] != assignment.home[c]) {
                moves++;
                moved += map.pressure[c];
            }
        }
        return new Candidate(assignment.save(members, codices), aim.levelOf(assignment, members), moves, moved);
    }
}
