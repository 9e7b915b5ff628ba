package io.mythos.loadbalancer.planner;

import io.mythos.common.load.RitualPriority;
import java.util.Random;

/**
 * Random small groups as a new user meets them: 2 to 5 assistants of mixed capacities (some with memory
 * entropy), 1 to 8 codices of lumpy pressure piled on one or two assistants, sometimes a ritual. The
 * same seed gives the same group, so that a failure names a group that can be rebuilt.
 */
final class SmallGroups {

    private SmallGroups() {
    }

    static LoadMap group(long seed) {
        Random rnd = new Random(seed);
        int assistants = 2 + rnd.nextInt(4);
        int codices = 1 + rnd.nextInt(8);
        LoadMap.Builder b = LoadMap.builder();
        double capacitySum = 0;
        for (int a = 0; a < assistants; a++) {
            double capacity = switch (rnd.nextInt(4)) {
                case 0 -> 10;
                case 1 -> new double[] {5, 10, 20, 30, 40}[rnd.nextInt(5)];
                case 2 -> 2 + rnd.nextInt(39);
                default -> Math.round((1 + rnd.nextDouble() * 39) * 10) / 10.0;
            };
            double entropy = rnd.nextInt(3) == 0 ? Math.round(rnd.nextDouble() * 100) / 100.0 : 0;
            b.assistant("a" + a, "g", capacity, entropy);
            capacitySum += LoadFormulas.effectiveCapacity(capacity, entropy);
        }
        // the whole group's load lands between a quarter and 1.4 × its capacity: some groups can all be at
        // or below 1.0, some cannot
        double total = capacitySum * (0.25 + rnd.nextDouble() * 1.15);
        double[] weight = new double[codices];
        double weightSum = 0;
        for (int c = 0; c < codices; c++) {
            weight[c] = switch (rnd.nextInt(3)) {
                case 0 -> Math.exp(rnd.nextGaussian()); // lognormal lumps
                case 1 -> 1 + rnd.nextInt(9); // whole numbers, with ties
                default -> 0.2 + rnd.nextDouble() * 3;
            };
            weightSum += weight[c];
        }
        int piles = rnd.nextInt(3) == 0 ? 2 : 1;
        for (int c = 0; c < codices; c++) {
            double pressure = Math.round(weight[c] / weightSum * total * 100) / 100.0;
            // most codices on the first one or two assistants; now and then one elsewhere
            int owner = rnd.nextInt(5) == 0 ? rnd.nextInt(assistants) : rnd.nextInt(piles);
            b.codex("c" + c, "a" + owner, pressure);
        }
        if (rnd.nextInt(4) == 0) {
            b.ritual("r0", "a" + rnd.nextInt(assistants), Math.round(rnd.nextDouble() * total * 0.2 * 100) / 100.0,
                    RitualPriority.values()[rnd.nextInt(3)]);
        }
        return b.build();
    }
}
