package io.mythos.healing.scheduler;

import io.mythos.healing.service.HealingMetrics;
import io.mythos.healing.service.RepairService;
import io.mythos.healing.service.RuleService;
import io.mythos.healing.service.SafetyService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The service's periodic jobs, which only delegate: the outbox's retrier, the rules' refresh and the
 * active-events gauge. Their periods are the HealingConfig durations, whose defaults live there alone.
 */
@ApplicationScoped
public class PeriodicJobs {

    private final RepairService repairs;
    private final HealingMetrics metrics;
    private final RuleService rules;
    private final SafetyService safety;

    public PeriodicJobs(RepairService repairs, HealingMetrics metrics, RuleService rules, SafetyService safety) {
        this.repairs = repairs;
        this.metrics = metrics;
        this.rules = rules;
        this.safety = safety;
    }

    /** Verification's verdicts, the end of expired silences' events, the release of calm storms. */
    @Scheduled(identity = "remediation-safety", every = "${mythos.healing.safety-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> remediationSafety() {
        return safety.tick();
    }

    @Scheduled(identity = "repair-retrier", every = "${mythos.healing.repair.retry-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> retryRepairs() {
        return repairs.runDue().replaceWithVoid();
    }

    @Scheduled(identity = "rules-refresh", every = "${mythos.healing.rules-refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refreshRules() {
        return rules.refresh();
    }

    @Scheduled(identity = "active-events-gauge", every = "${mythos.healing.metrics-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refreshActiveGauge() {
        return metrics.refreshActive();
    }
}
