package io.mythos.loadbalancer.planner;

/**
 * Which codices an assistant above its target sheds: the fewest that cover its excess, and among sets
 * of that size, greedily the lightest.
 */
final class ExcessCover {

    private ExcessCover() {
    }

    /**
     * Each slot takes the lightest codex that still lets the remaining slots cover the rest (binary
     * search over prefix sums). All of them when even all together do not cover the excess.
     *
     * @param heaviestFirst candidate codices, heaviest first
     * @param pressure      every codex's pressure, by index
     */
    static int[] fewestCovering(int[] heaviestFirst, double[] pressure, double excess) {
        int n = heaviestFirst.length;
        double[] prefix = new double[n + 1];
        for (int i = 0; i < n; i++) {
            prefix[i + 1] = prefix[i] + pressure[heaviestFirst[i]];
        }
        if (prefix[n] <= excess + Planner.EPS) {
            return heaviestFirst;
        }
        int k = 1;
        while (prefix[k] < excess) {
            k++;
        }
        int[] chosen = new int[k];
        double rest = excess;
        int pos = 0;
        for (int slot = 0; slot < k; slot++) {
            int slotsLeft = k - slot;
            int lo = pos;
            int hi = n - slotsLeft;
            while (lo < hi) { // the largest x in [pos, n - slotsLeft] whose codex plus the next slotsLeft − 1 still cover the rest
                int mid = (lo + hi + 1) >>> 1;
                if (pressure[heaviestFirst[mid]] + prefix[mid + slotsLeft] - prefix[mid + 1] >= rest) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            chosen[slot] = heaviestFirst[lo];
            rest -= pressure[heaviestFirst[lo]];
            pos = lo + 1;
        }
        return chosen;
    }
}
