package io.mythos.loadbalancer.planner;

import io.mythos.common.load.RebalancePlan.CodexMove;
import io.mythos.common.load.RebalancePlan.Figures;
import io.mythos.common.load.RebalancePlan.RitualSpread;
import io.mythos.common.load.RitualPriority;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The SymbolicLoadBalancer's planner: plain Java, no framework types, deterministic.
 *
 * <p>Per group it computes the target {@code T = max(lower_bound, target_imbalance × mean)} and then
 * runs evacuate-and-place passes: every assistant above {@code T} sheds the fewest codices that cover its
 * excess (and among those, the set with the least pressure); the shed codices are placed largest first on
 * the assistant with the most headroom under {@code T} (worst-fit decreasing); a codex that fits nowhere
 * may eject the fewest smaller codices from a receiver (if they fit elsewhere), which go back into the
 * queue; a codex that still fits nowhere stays where it was and the donor sheds something else in the
 * next pass. Rounds of passes repeat until a round moves nothing, so that planning the applied result
 * again moves nothing. Receivers never go above {@code T} and donors only lose load, so no
 * assistant's and no group's max utilization rises (a final check reverts a group if it ever would).
 *
 * <p>Codices heavier than {@link Definitions#SPLIT_FRACTION} × the largest effective capacity of their
 * group are never moved: they become {@code split} tasks. Then, on every assistant of the scope still
 * above utilization 1.0, rituals are spread: {@code low} ones deferred, {@code normal} ones offloaded and
 * {@code critical} ones cloned (half the density) to the least utilized assistant of the group that stays
 * at or below 1.0. A critical ritual is never deferred.
 *
 * <p>Cost: O(n log n) in the codices of the over-target assistants plus O(n) per pass; no scan over all
 * codices per move.
 */
public final class Planner {

    static final double EPS = 1e-9;
    private static final int MAX_PASSES = 12;
    private static final int MAX_ROUNDS = 6;
    private static final int EJECT_CANDIDATES = 16;
    private static final int MAX_EJECTED = 64;
    private static final int SPARE_ROOMS = 64;

    /**
     * @param group         plan this group only (null: every group, unless {@code assistantId} is given)
     * @param assistantId   plan inside this assistant's group, relieving only this assistant
     * @param targetImbalance the target is {@code max(lower_bound, targetImbalance × mean)}
     * @param maxMoves      at most this many codex moves
     * @param deferSeconds  how long a deferred low-priority ritual waits
     */
    public record Options(String group, String assistantId, double targetImbalance, int maxMoves, int deferSeconds) {
        public static Options whole() {
            return new Options(null, null, 1.05, Integer.MAX_VALUE, 300);
        }

        public Options withTargetImbalance(double t) {
            return new Options(group, assistantId, t, maxMoves, deferSeconds);
        }

        public Options withMaxMoves(int m) {
            return new Options(group, assistantId, targetImbalance, m, deferSeconds);
        }
    }

    /** A codex too heavy to move: it is to be split ({@code action} "split") or replicated into {@code shards}. */
    public record Split(String codexId, String action, int shards) {
    }

    /**
     * The plan: figures of the scope before and after, the moves (codex order), the split candidates,
     * the ritual spread, and the codex owners after the moves (indices into the map's assistants).
     */
    public record Plan(Figures before, Figures after, double pressureReduction, double movedPressure,
                       List<CodexMove> moves, List<Split> splits, List<RitualSpread> ritualSpread, int[] owners) {
    }

    public Plan plan(LoadMap m, Options o) {
        return new Run(m, o).execute();
    }

    /** The state of one planning run. */
    private static final class Run {
        final LoadMap m;
        final Options o;
        final int na;
        final double[] eff;
        final double[] load;
        final int[] owners;
        final int[] groupOf;
        final List<String> groupNames = new ArrayList<>();
        final int[][] members;
        final int focus;
        final boolean[] inScope;
        // scratch shared by the groups, which are balanced one after the other
        final double[] headroom;
        final int[] passOrigin;
        final boolean[] placed;
        final boolean[] stuck;
        int netMoves;

        Run(LoadMap m, Options o) {
            this.m = m;
            this.o = o;
            na = m.assistantCount();
            eff = new double[na];
            load = new double[na];
            owners = m.codexOwner.clone();
            groupOf = new int[na];
            Map<String, Integer> gid = new HashMap<>();
            int[] sizes = new int[na];
            for (int a = 0; a < na; a++) {
                eff[a] = Definitions.effectiveCapacity(m.capacity[a], m.memoryEntropy[a]);
                Integer g = gid.get(m.groups[a]);
                if (g == null) {
                    g = groupNames.size();
                    gid.put(m.groups[a], g);
                    groupNames.add(m.groups[a]);
                }
                groupOf[a] = g;
                sizes[g]++;
            }
            members = new int[groupNames.size()][];
            for (int g = 0; g < members.length; g++) {
                members[g] = new int[sizes[g]];
                sizes[g] = 0;
            }
            for (int a = 0; a < na; a++) {
                members[groupOf[a]][sizes[groupOf[a]]++] = a;
            }
            for (int r = 0; r < m.ritualCount(); r++) {
                load[m.ritualOwner[r]] += Definitions.RITUAL_COST * m.density[r];
            }
            for (int c = 0; c < owners.length; c++) {
                load[owners[c]] += m.pressure[c];
            }
            headroom = new double[na];
            passOrigin = new int[owners.length];
            placed = new boolean[owners.length];
            stuck = new boolean[owners.length];
            inScope = new boolean[members.length];
            if (o.assistantId() != null) {
                focus = m.indexOfAssistant(o.assistantId());
                if (focus < 0) {
                    throw new IllegalArgumentException("unknown assistant " + o.assistantId());
                }
                inScope[groupOf[focus]] = true;
            } else {
                focus = -1;
                if (o.group() != null) {
                    Integer g = gid.get(o.group());
                    if (g == null) {
                        throw new IllegalArgumentException("unknown group " + o.group());
                    }
                    inScope[g] = true;
                } else {
                    Arrays.fill(inScope, true);
                }
            }
        }

        Plan execute() {
            Figures before = figures(load);
            int[] codexGroupStart = new int[members.length + 1];
            int[] codicesByGroup = new int[owners.length];
            for (int c = 0; c < owners.length; c++) {
                codexGroupStart[groupOf[owners[c]] + 1]++;
            }
            for (int g = 0; g < members.length; g++) {
                codexGroupStart[g + 1] += codexGroupStart[g];
            }
            int[] fill = Arrays.copyOf(codexGroupStart, members.length);
            for (int c = 0; c < owners.length; c++) {
                codicesByGroup[fill[groupOf[owners[c]]]++] = c;
            }
            List<Split> splits = new ArrayList<>();
            for (int g = 0; g < members.length; g++) {
                if (inScope[g]) {
                    int[] codices = Arrays.copyOfRange(codicesByGroup, codexGroupStart[g], codexGroupStart[g + 1]);
                    new GroupBalancer(this, g, codices).balance(splits);
                }
            }
            splits.sort(Comparator.comparing(Split::codexId));
            List<CodexMove> moves = new ArrayList<>();
            double moved = 0;
            for (int c = 0; c < owners.length; c++) {
                if (owners[c] != m.codexOwner[c]) {
                    moves.add(new CodexMove(m.codexIds[c], m.assistantIds[m.codexOwner[c]], m.assistantIds[owners[c]],
                            m.pressure[c]));
                    moved += m.pressure[c];
                }
            }
            List<RitualSpread> spread = spreadRituals();
            Figures after = figures(load);
            return new Plan(before, after, Definitions.pressureReduction(before.maxUtilization(), after.maxUtilization()),
                    moved, moves, splits, spread, owners);
        }

        Figures figures(double[] loads) {
            double sumL = 0;
            double sumC = 0;
            double max = 0;
            for (int a = 0; a < na; a++) {
                if (inScope[groupOf[a]]) {
                    sumL += loads[a];
                    sumC += eff[a];
                    max = Math.max(max, loads[a] / eff[a]);
                }
            }
            double mean = sumC > 0 ? sumL / sumC : 0;
            return new Figures(max, mean, Definitions.imbalance(max, mean));
        }

        double utilization(int a) {
            return load[a] / eff[a];
        }

        /** Ritual spread on every assistant of the scope still above 1.0 (only the focus in assistant scope). */
        List<RitualSpread> spreadRituals() {
            List<Integer> hot = new ArrayList<>();
            for (int a = 0; a < na; a++) {
                if (inScope[groupOf[a]] && (focus < 0 || a == focus) && utilization(a) > 1.0 + EPS) {
                    hot.add(a);
                }
            }
            if (hot.isEmpty() || m.ritualCount() == 0) {
                return List.of();
            }
            hot.sort((x, y) -> {
                int c = Double.compare(utilization(y), utilization(x));
                return c != 0 ? c : m.assistantIds[x].compareTo(m.assistantIds[y]);
            });
            Map<Integer, List<Integer>> ritualsOf = new HashMap<>();
            for (int r = 0; r < m.ritualCount(); r++) {
                ritualsOf.computeIfAbsent(m.ritualOwner[r], k -> new ArrayList<>()).add(r);
            }
            List<RitualSpread> out = new ArrayList<>();
            for (int a : hot) {
                List<Integer> rs = new ArrayList<>(ritualsOf.getOrDefault(a, List.of()));
                rs.sort(Comparator.<Integer>comparingInt(r -> rank(m.priority[r]))
                        .thenComparing(r -> -m.density[r])
                        .thenComparing(r -> m.ritualIds[r]));
                double deferred = 0; // deferred density relieves a for a while but stays in its load figures
                for (int r : rs) {
                    if ((load[a] - deferred) / eff[a] <= 1.0 + EPS) {
                        break;
                    }
                    double cost = Definitions.RITUAL_COST * m.density[r];
                    if (cost <= 0) {
                        continue;
                    }
                    switch (m.priority[r]) {
                        case LOW -> {
                            deferred += cost;
                            out.add(new RitualSpread(m.ritualIds[r], "defer", m.assistantIds[a], null, null,
                                    o.deferSeconds()));
                        }
                        case NORMAL -> {
                            int b = leastUtilizedTaking(a, cost);
                            if (b >= 0) {
                                load[a] -= cost;
                                load[b] += cost;
                                out.add(new RitualSpread(m.ritualIds[r], "offload", m.assistantIds[a],
                                        m.assistantIds[b], null, null));
                            }
                        }
                        case CRITICAL -> {
                            int b = leastUtilizedTaking(a, cost / 2);
                            if (b >= 0) {
                                load[a] -= cost / 2;
                                load[b] += cost / 2;
                                out.add(new RitualSpread(m.ritualIds[r], "clone", m.assistantIds[a],
                                        m.assistantIds[b], 0.5, null));
                            }
                        }
                    }
                }
            }
            return out;
        }

        private static int rank(RitualPriority p) {
            return switch (p) {
                case LOW -> 0;
                case NORMAL -> 1;
                case CRITICAL -> 2;
            };
        }

        /** The least utilized other assistant of a's group that stays at or below 1.0 after taking {@code cost}. */
        int leastUtilizedTaking(int a, double cost) {
            int best = -1;
            for (int b : members[groupOf[a]]) {
                if (b != a && (load[b] + cost) / eff[b] <= 1.0 + EPS
                        && (best < 0 || utilization(b) < utilization(best)
                        || (utilization(b) == utilization(best) && m.assistantIds[b].compareTo(m.assistantIds[best]) < 0))) {
                    best = b;
                }
            }
            return best;
        }
    }

    /** Evacuate-and-place passes inside one group. */
    private static final class GroupBalancer {
        final Run run;
        final LoadMap m;
        final int[] mem;
        final int[] codices;
        final double target;
        final double heavy;
        final double maxEff;
        final double[] headroom;
        final int[] passOrigin;
        final boolean[] placed;
        final boolean[] stuck;
        boolean ownersChanged;
        TreeSet<Integer> receivers;
        int[] heldStart;
        int[] held;
        final Map<Integer, int[]> sortedHeld = new HashMap<>();

        GroupBalancer(Run run, int g, int[] codices) {
            this.run = run;
            this.m = run.m;
            this.mem = run.members[g];
            this.codices = codices;
            double sumL = 0;
            double sumC = 0;
            double cmax = 0;
            for (int a : mem) {
                sumL += run.load[a];
                sumC += run.eff[a];
                cmax = Math.max(cmax, run.eff[a]);
            }
            maxEff = cmax;
            double maxP = 0;
            for (int c : codices) {
                maxP = Math.max(maxP, m.pressure[c]);
            }
            double mean = sumL / sumC;
            double lowerBound = Math.max(mean, maxP / cmax);
            target = Math.max(lowerBound, run.o.targetImbalance() * mean);
            heavy = Definitions.SPLIT_FRACTION * cmax;
            headroom = run.headroom;
            passOrigin = run.passOrigin;
            placed = run.placed;
            stuck = run.stuck;
        }

        boolean movable(int c) {
            return m.pressure[c] > 0 && m.pressure[c] <= heavy;
        }

        boolean over(int a) {
            double cap = target * run.eff[a];
            return run.load[a] > cap + EPS * Math.max(1, cap);
        }

        void balance(List<Split> splits) {
            for (int c : codices) {
                if (m.pressure[c] > heavy) {
                    splits.add(new Split(m.codexIds[c], m.readMostly[c] ? "replicate" : "split",
                            Definitions.shards(m.pressure[c], maxEff)));
                }
            }
            double beforeMax = 0;
            double[] beforeUtil = new double[mem.length];
            for (int i = 0; i < mem.length; i++) {
                beforeUtil[i] = run.utilization(mem[i]);
                beforeMax = Math.max(beforeMax, beforeUtil[i]);
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
            // Guard: receivers stay under the target and donors only shed, so this never fires; if an
            // ejection chain ever left an assistant above both its own start and the target, keep the group as it was.
            for (int i = 0; i < mem.length; i++) {
                double u = run.utilization(mem[i]);
                if (u > Math.max(beforeUtil[i], target) + 1e-9 || u > beforeMax + 1e-9) {
                    revert();
                    return;
                }
            }
        }

        void revert() {
            for (int c : codices) {
                if (run.owners[c] != m.codexOwner[c]) {
                    run.load[run.owners[c]] -= m.pressure[c];
                    run.load[m.codexOwner[c]] += m.pressure[c];
                    run.owners[c] = m.codexOwner[c];
                    run.netMoves--;
                }
            }
        }

        /** One pass; true when it changed some owner or marked a codex stuck. */
        boolean pass() {
            List<Integer> donors = new ArrayList<>();
            for (int a : mem) {
                if ((run.focus < 0 || a == run.focus) && over(a)) {
                    donors.add(a);
                }
            }
            if (donors.isEmpty()) {
                return false;
            }
            indexHeld();
            donors.sort((x, y) -> {
                int c = Double.compare(run.utilization(y), run.utilization(x));
                return c != 0 ? c : m.assistantIds[x].compareTo(m.assistantIds[y]);
            });
            double room = largestRoom(donors);
            IntHeap pending = new IntHeap(this::heavierFirst);
            for (int a : donors) {
                // only codices that could land somewhere (possibly by ejecting smaller ones), and
                // none that already failed to: a donor with one huge codex sheds its small ones instead
                int[] mine = Arrays.stream(sortedHeldOf(a))
                        .filter(c -> !stuck[c] && m.pressure[c] <= room + EPS).toArray();
                double excess = run.load[a] - target * run.eff[a];
                for (int c : cover(mine, excess)) {
                    run.load[a] -= m.pressure[c];
                    passOrigin[c] = a;
                    run.owners[c] = -1; // in flight: neither ejectable nor counted anywhere
                    pending.add(c);
                }
            }
            receivers = new TreeSet<>((x, y) -> {
                int c = Double.compare(headroom[y], headroom[x]);
                return c != 0 ? c : m.assistantIds[x].compareTo(m.assistantIds[y]);
            });
            for (int a : mem) {
                headroom[a] = target * run.eff[a] - run.load[a];
                receivers.add(a);
            }
            boolean changed = false;
            while (!pending.isEmpty()) {
                int c = pending.poll();
                double p = m.pressure[c];
                int best = receivers.first();
                int to;
                if (headroom[best] + EPS * Math.max(1, p) >= p && budgetFor(c, best, 0)) {
                    to = best;
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
                assign(c, to);
                placed[c] = true;
            }
            for (int c : codices) {
                placed[c] = false;
            }
            return changed;
        }

        /**
         * The most room any non-donor could offer one codex: its headroom under the target plus its
         * movable codices (which an ejection could hand on).
         */
        double largestRoom(List<Integer> donors) {
            java.util.Set<Integer> donorSet = new java.util.HashSet<>(donors);
            double best = 0;
            for (int a : mem) {
                if (donorSet.contains(a)) {
                    continue;
                }
                double r = target * run.eff[a] - run.load[a];
                for (int i = heldStart[a]; i < heldStart[a + 1]; i++) {
                    if (movable(held[i])) {
                        r += m.pressure[held[i]];
                    }
                }
                best = Math.max(best, r);
            }
            return best;
        }

        int heavierFirst(int x, int y) {
            int c = Double.compare(m.pressure[y], m.pressure[x]);
            return c != 0 ? c : m.codexIds[x].compareTo(m.codexIds[y]);
        }

        /** Whether putting c on {@code to} (and ejecting {@code extra} codices) stays within max_moves. */
        boolean budgetFor(int c, int to, int extra) {
            int added = (to != m.codexOwner[c] && passOrigin[c] == m.codexOwner[c] ? 1 : 0) + extra;
            return added == 0 || (long) run.netMoves + added <= run.o.maxMoves();
        }

        void assign(int c, int to) {
            boolean wasMoved = passOrigin[c] != m.codexOwner[c];
            boolean isMoved = to != m.codexOwner[c];
            run.netMoves += (isMoved ? 1 : 0) - (wasMoved ? 1 : 0);
            run.owners[c] = to;
            run.load[to] += m.pressure[c];
            receivers.remove(to);
            headroom[to] -= m.pressure[c];
            receivers.add(to);
        }

        /**
         * Makes room for c on one of the receivers with the most headroom by ejecting the fewest smaller
         * codices that were there at the start of the pass (heaviest first), provided the ejected ones fit
         * in the remaining headroom elsewhere. Returns the receiver, or -1.
         */
        int eject(int c, IntHeap pending) {
            double p = m.pressure[c];
            int bestTo = -1;
            List<Integer> bestOut = null;
            int seen = 0;
            for (int j : receivers) {
                if (seen++ >= EJECT_CANDIDATES || headroom[j] < 0) {
                    break;
                }
                if (j == passOrigin[c]) {
                    continue;
                }
                List<Integer> out = new ArrayList<>();
                double room = headroom[j];
                for (int e : sortedHeldOf(j)) {
                    if (room + EPS >= p || out.size() == MAX_EJECTED) {
                        break;
                    }
                    if (run.owners[e] == j && !placed[e] && m.pressure[e] < p) {
                        out.add(e);
                        room += m.pressure[e];
                    }
                }
                if (room + EPS >= p && (bestOut == null || out.size() < bestOut.size())
                        && fitsElsewhere(out, j) && budgetFor(c, j, out.size())) {
                    bestTo = j;
                    bestOut = out;
                }
            }
            if (bestTo < 0) {
                return -1;
            }
            for (int e : bestOut) {
                receivers.remove(bestTo);
                headroom[bestTo] += m.pressure[e];
                receivers.add(bestTo);
                run.load[bestTo] -= m.pressure[e];
                passOrigin[e] = bestTo;
                run.owners[e] = -1;
                pending.add(e);
            }
            return bestTo;
        }

        /** First-fit decreasing of the ejected codices into the largest headrooms other than j's. */
        boolean fitsElsewhere(List<Integer> out, int j) {
            double[] rooms = new double[SPARE_ROOMS];
            int n = 0;
            for (int r : receivers) {
                if (n == rooms.length) {
                    break;
                }
                if (r != j) {
                    rooms[n++] = headroom[r];
                }
            }
            for (int e : out) {
                boolean fit = false;
                for (int i = 0; i < n && !fit; i++) {
                    if (rooms[i] + EPS >= m.pressure[e]) {
                        rooms[i] -= m.pressure[e];
                        fit = true;
                    }
                }
                if (!fit) {
                    return false;
                }
            }
            return true;
        }

        /** Codices held at the start of this pass, by assistant (a counting sort over the group's codices). */
        void indexHeld() {
            sortedHeld.clear();
            heldStart = new int[run.na + 1];
            for (int c : codices) {
                heldStart[run.owners[c] + 1]++;
            }
            for (int a = 0; a < run.na; a++) {
                heldStart[a + 1] += heldStart[a];
            }
            held = new int[codices.length];
            int[] fill = Arrays.copyOf(heldStart, run.na);
            for (int c : codices) {
                held[fill[run.owners[c]]++] = c;
            }
        }

        /** a's movable codices held at the start of the pass, heaviest first (ties by id). */
        int[] sortedHeldOf(int a) {
            return sortedHeld.computeIfAbsent(a, k -> Arrays.stream(held, heldStart[k], heldStart[k + 1])
                    .filter(this::movable).boxed().sorted(this::heavierFirst).mapToInt(Integer::intValue).toArray());
        }

        /**
         * The fewest codices (heaviest first) whose pressure covers {@code excess}, and among sets of that
         * size, greedily the lightest: each slot takes the lightest codex that still lets the remaining
         * slots cover the rest. All of them when even all together do not cover it.
         */
        int[] cover(int[] sorted, double excess) {
            int n = sorted.length;
            double[] prefix = new double[n + 1];
            for (int i = 0; i < n; i++) {
                prefix[i + 1] = prefix[i] + m.pressure[sorted[i]];
            }
            if (prefix[n] <= excess + EPS) {
                return sorted;
            }
            int k = 1;
            while (prefix[k] < excess) {
                k++;
            }
            int[] chosen = new int[k];
            double rest = excess;
            int pos = 0;
            for (int s = 0; s < k; s++) {
                int r = k - s;
                int lo = pos;
                int hi = n - r;
                while (lo < hi) { // largest x in [pos, n-r] whose codex plus the next r-1 still cover the rest
                    int mid = (lo + hi + 1) >>> 1;
                    if (m.pressure[sorted[mid]] + prefix[mid + r] - prefix[mid + 1] >= rest) {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                chosen[s] = sorted[lo];
                rest -= m.pressure[sorted[lo]];
                pos = lo + 1;
            }
            return chosen;
        }
    }
}
