package io.mythos.loadbalancer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "mythos.load-balancer")
public interface BalancerConfig {

    /** Default target: max utilization ≤ max(lower bound, this × mean). */
    @WithDefault("1.05")
    double targetImbalance();

    /** A claimed task not completed within this lease returns to pending. */
    @WithDefault("60s")
    Duration lease();

    /** How often expired leases are swept back to pending ("off" disables the sweep; claims still take expired ones). */
    @WithDefault("5s")
    String leaseSweepEvery();

    /** How long a ritual spread plan defers a low-priority ritual. */
    @WithDefault("300s")
    Duration defer();
}
