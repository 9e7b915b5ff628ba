package io.mythos.loadbalancer.bench;

import io.mythos.loadbalancer.planner.ExactComparison;
import io.mythos.loadbalancer.planner.LoadFormulas;
import io.mythos.loadbalancer.planner.LoadMap;
import io.mythos.loadbalancer.planner.Planner;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Benchmark of the planner against a naive baseline (full LPT reassignment) on seeded maps. Not a
 * test: run it with {@code ./mvnw -B -Pbench -pl load-balancer-service -am -DskipTests verify} (see
 * docs/benchmarks/load-balancer-service.md). Arguments: {@code small}, {@code large} or both (default).
 */
public final class PlannerBenchmark {

    private static final long SEED = 20261126L;
    private static final double TARGET = 1.05;

    enum Dist { UNIFORM, LOGNORMAL, PARETO }

    enum Caps { EQUAL, MIXED }

    enum Scenario { DRIFT, SCALE_OUT, SKEW, HOT_CODEX }

    record Figures(double imbalance, double maxOverLb, int moved, double movedPressure) {
    }

    public static void main(String[] args) {
        List<String> sizes = new ArrayList<>(args.length == 0 ? List.of("small", "large") : Arrays.asList(args));
        if (sizes.remove("exact")) {
            System.out.println("Small groups: the planner against the exact optimum (brute force) and a full LPT reassignment");
            ExactComparison.print(1500);
            System.out.println();
        }
        if (sizes.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "java %s, %d processors, one planning thread, load average at start %.1f%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| size | pressures | capacities | scenario | planner imbalance | LPT imbalance | planner max/LB | LPT max/LB"
                + " | planner moves | LPT moves | move LB (codices) | moves / move LB | refined move LB | moves / refined LB"
                + " | planner moved pressure | LPT moved pressure"
                + " | pressure LB | planner p50 ms | planner p99 ms | planner CPU p50 ms | planner CPU p99 ms | LPT CPU p50 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String size : sizes) {
            int codices = size.equals("large") ? 1_000_000 : 10_000;
            int assistants = size.equals("large") ? 5_000 : 500;
            int warmup = size.equals("large") ? 2 : 30;
            int runs = size.equals("large") ? 5 : 60;
            for (Dist d : Dist.values()) {
                for (Caps c : Caps.values()) {
                    for (Scenario s : Scenario.values()) {
                        runCase(size, codices, assistants, d, c, s, warmup, runs);
                    }
                }
            }
        }
    }

    /** A generated map, with its pressures, capacities and owners as arrays for the baseline. */
    record Case(LoadMap map, double[] p, double[] cap, int[] owner) {
    }

    static void runCase(String size, int nc, int na, Dist dist, Caps caps, Scenario scenario, int warmup, int runs) {
        Case k = generate(nc, na, dist, caps, scenario);
        LoadMap map = k.map();
        double[] p = k.p();
        double[] cap = k.cap();
        int[] owner = k.owner();
        double total = total(p);

        Planner planner = new Planner();
        Planner.Options options = new Planner.Options(null, null, TARGET, Integer.MAX_VALUE, 300);
        Timing plannerMs = time(warmup, runs, () -> planner.plan(map, options));
        Planner.Plan plan = planner.plan(map, options);
        Timing lptMs = time(Math.min(warmup, 5), Math.min(runs, 10), () -> lpt(p, cap, na));
        int[] lptOwner = lpt(p, cap, na);

        double lb = lowerBound(p, cap);
        Figures mine = figures(p, cap, owner, plan.owners(), lb);
        Figures base = figures(p, cap, owner, lptOwner, lb);
        double mean = total(p) / total(cap);
        double target = Math.max(lb, TARGET * mean);
        double[] moveLb = movementLowerBound(p, cap, owner, target);
        long refined = refinedMovementLowerBound(p, cap, owner, target);
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.4f | %.4f | %.4f | %.4f | %d | %d | %d | %.2f | %d | %.2f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                size.equals("large") ? "1M/5000" : "10k/500", dist.name().toLowerCase(Locale.ROOT),
                caps.name().toLowerCase(Locale.ROOT), scenario.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                mine.imbalance, base.imbalance, mine.maxOverLb, base.maxOverLb, mine.moved, base.moved, (int) moveLb[0],
                moveLb[0] == 0 ? 0 : mine.moved / moveLb[0], refined, refined == 0 ? 0 : (double) mine.moved / refined,
                mine.movedPressure, base.movedPressure, moveLb[1],
                percentile(plannerMs.wall(), 50), percentile(plannerMs.wall(), 99), percentile(plannerMs.cpu(), 50),
                percentile(plannerMs.cpu(), 99), percentile(lptMs.cpu(), 50));
    }

    static Case generate(int nc, int na, Dist dist, Caps caps, Scenario scenario) {
        Random rnd = new Random(SEED ^ (dist.ordinal() * 31L + caps.ordinal() * 7L + scenario.ordinal()) ^ nc);
        double[] p = new double[nc];
        for (int i = 0; i < nc; i++) {
            p[i] = switch (dist) {
                case UNIFORM -> 0.5 + rnd.nextDouble();
                case LOGNORMAL -> Math.exp(rnd.nextGaussian());
                case PARETO -> Math.pow(1 - rnd.nextDouble(), -1 / 1.5); // alpha 1.5, x_min 1
            };
        }
        double[] weight = new double[na];
        for (int a = 0; a < na; a++) {
            weight[a] = caps == Caps.EQUAL ? 1 : new double[] {0.5, 1, 2, 4}[rnd.nextInt(4)];
        }
        // capacities sized for a mean utilization of 0.7
        double total = Arrays.stream(p).sum();
        double sumW = Arrays.stream(weight).sum();
        double[] cap = new double[na];
        for (int a = 0; a < na; a++) {
            cap[a] = weight[a] * total / (0.7 * sumW);
        }
        int[] owner;
        switch (scenario) {
            case DRIFT -> {
                owner = lpt(p, cap, na);
                for (int i = 0; i < nc; i++) { // drift: every pressure moves by a few percent, one in twenty a lot
                    p[i] *= rnd.nextInt(20) == 0 ? Math.exp(rnd.nextGaussian() * 0.5) : 1 + rnd.nextGaussian() * 0.03;
                    p[i] = Math.max(0, p[i]);
                }
            }
            case SCALE_OUT -> {
                int old = na - na / 10; // 10% new, empty assistants
                owner = lpt(p, Arrays.copyOf(cap, old), old);
            }
            case SKEW -> {
                owner = new int[nc];
                for (int i = 0; i < nc; i++) {
                    owner[i] = i % 2 == 0 ? rnd.nextInt(na / 10) : rnd.nextInt(na);
                }
            }
            default -> {
                owner = lpt(p, cap, na);
                double maxCap = Arrays.stream(cap).max().orElse(1);
                p[0] = 0.75 * maxCap; // one hot codex, just under the split threshold
            }
        }
        LoadMap.Builder b = LoadMap.builder();
        for (int a = 0; a < na; a++) {
            b.assistant(String.format("a%05d", a), "g", cap[a], 0);
        }
        for (int i = 0; i < nc; i++) {
            b.codex(String.format("c%07d", i), owner[i], p[i]);
        }
        return new Case(b.build(), p, cap, owner);
    }

    /** Full LPT reassignment: codices heaviest first, each to the assistant with the lowest utilization. */
    static int[] lpt(double[] p, double[] cap, int na) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(p[y], p[x]));
        double[] load = new double[na];
        PriorityQueue<Integer> heap = new PriorityQueue<>(na, (x, y) -> {
            int c = Double.compare(load[x] / cap[x], load[y] / cap[y]);
            return c != 0 ? c : Integer.compare(x, y);
        });
        for (int a = 0; a < na; a++) {
            heap.add(a);
        }
        int[] owner = new int[p.length];
        for (int i : order) {
            int a = heap.poll();
            owner[i] = a;
            load[a] += p[i];
            heap.add(a);
        }
        return owner;
    }

    static double lowerBound(double[] p, double[] cap) {
        double mean = total(p) / total(cap);
        double maxCap = Arrays.stream(cap).max().orElse(1);
        double maxP = Arrays.stream(p).max().orElse(0);
        return Math.max(mean, maxP / maxCap);
    }

    static Figures figures(double[] p, double[] cap, int[] before, int[] after, double lb) {
        double[] load = new double[cap.length];
        int moved = 0;
        double movedP = 0;
        for (int i = 0; i < p.length; i++) {
            load[after[i]] += p[i];
            if (after[i] != before[i]) {
                moved++;
                movedP += p[i];
            }
        }
        double max = 0;
        for (int a = 0; a < cap.length; a++) {
            max = Math.max(max, load[a] / cap[a]);
        }
        double mean = total(p) / total(cap);
        return new Figures(max / mean, max / lb, moved, movedP);
    }

    /**
     * For each assistant above the target: the pressure above it, and the fewest codices (movable ones,
     * heaviest first) that cover it. Any plan that reaches the target moves at least that many codices.
     */
    static double[] movementLowerBound(double[] p, double[] cap, int[] owner, double target) {
        int na = cap.length;
        double maxCap = Arrays.stream(cap).max().orElse(1);
        double[] load = new double[na];
        List<List<Double>> held = new ArrayList<>();
        for (int a = 0; a < na; a++) {
            held.add(new ArrayList<>());
        }
        for (int i = 0; i < p.length; i++) {
            load[owner[i]] += p[i];
            if (p[i] <= LoadFormulas.SPLIT_FRACTION * maxCap) {
                held.get(owner[i]).add(p[i]);
            }
        }
        double count = 0;
        double pressure = 0;
        for (int a = 0; a < na; a++) {
            double excess = load[a] - target * cap[a];
            if (excess <= 1e-9 * Math.max(1, target * cap[a])) {
                continue;
            }
            pressure += excess;
            List<Double> mine = held.get(a);
            mine.sort((x, y) -> Double.compare(y, x));
            double covered = 0;
            for (double x : mine) {
                if (covered >= excess) {
                    break;
                }
                covered += x;
                count++;
            }
        }
        return new double[] {count, pressure};
    }

    /**
     * The movement bound made tighter for the heaviest movable codex h: wherever h ends, on its owner or on
     * another assistant x with room for it under the target, that assistant must keep at most
     * {@code target × capacity − p(h)} of its other codices, so it sheds at least the fewest of them that cover
     * the rest (and h's owner, when h leaves, still sheds what covers its excess without h). The other
     * assistants count as in {@link #movementLowerBound}. Codices are owned by one assistant each, so the sum
     * is a bound on any plan that reaches the target. A hot codex needs an otherwise nearly empty host, which
     * the plain bound (one codex) does not see.
     */
    static long refinedMovementLowerBound(double[] p, double[] cap, int[] owner, double target) {
        int na = cap.length;
        double maxCap = Arrays.stream(cap).max().orElse(1);
        double[] load = new double[na];
        int h = -1;
        for (int i = 0; i < p.length; i++) {
            load[owner[i]] += p[i];
            if (p[i] <= LoadFormulas.SPLIT_FRACTION * maxCap && p[i] > 0 && (h < 0 || p[i] > p[h])) {
                h = i;
            }
        }
        // per assistant: its movable codices other than h, heaviest first, as prefix sums
        List<List<Double>> held = new ArrayList<>();
        for (int a = 0; a < na; a++) {
            held.add(new ArrayList<>());
        }
        for (int i = 0; i < p.length; i++) {
            if (i != h && p[i] > 0 && p[i] <= LoadFormulas.SPLIT_FRACTION * maxCap) {
                held.get(owner[i]).add(p[i]);
            }
        }
        double[][] prefix = new double[na][];
        for (int a = 0; a < na; a++) {
            List<Double> mine = held.get(a);
            mine.sort((x, y) -> Double.compare(y, x));
            prefix[a] = new double[mine.size() + 1];
            for (int j = 0; j < mine.size(); j++) {
                prefix[a][j + 1] = prefix[a][j] + mine.get(j);
            }
        }
        long base = 0;
        for (int a = 0; a < na; a++) {
            base += cover(prefix[a], load[a] - target * cap[a], target * cap[a]);
        }
        if (h < 0) {
            return base;
        }
        int o = owner[h];
        long ownerPlain = cover(prefix[o], load[o] - target * cap[o], target * cap[o]);
        long best = Long.MAX_VALUE;
        if (p[h] <= target * cap[o] * (1 + 1e-9)) {
            best = 0; // h stays: o sheds others to cover its excess, as base counts it
        }
        long ownerWithout = cover(prefix[o], load[o] - p[h] - target * cap[o], target * cap[o]);
        for (int x = 0; x < na; x++) {
            if (x == o || p[h] > target * cap[x] * (1 + 1e-9)) {
                continue;
            }
            long xPlain = cover(prefix[x], load[x] - target * cap[x], target * cap[x]);
            long xWithH = cover(prefix[x], load[x] + p[h] - target * cap[x], target * cap[x]);
            long option = 1 + (ownerWithout - ownerPlain) + (xWithH - xPlain);
            best = Math.min(best, option);
        }
        return best == Long.MAX_VALUE ? base : base + best;
    }

    /** The fewest codices (prefix sums, heaviest first) covering {@code need}; all of them when they do not. */
    private static long cover(double[] prefix, double need, double scale) {
        if (need <= 1e-9 * Math.max(1, scale)) {
            return 0;
        }
        int k = Arrays.binarySearch(prefix, need);
        k = k >= 0 ? k : -k - 1;
        return Math.min(k, prefix.length - 1);
    }

    /** Sorted wall-clock and thread-CPU milliseconds of the measured runs (the CPU time ignores other processes). */
    record Timing(double[] wall, double[] cpu) {
    }

    static Timing time(int warmup, int runs, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int i = 0; i < runs; i++) {
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            r.run();
            wall[i] = (System.nanoTime() - t) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new Timing(wall, cpu);
    }

    static double percentile(double[] sorted, int pct) {
        int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double total(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s;
    }
}
