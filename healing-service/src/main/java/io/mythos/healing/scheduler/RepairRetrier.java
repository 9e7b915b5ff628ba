package io.mythos.healing.scheduler;

import io.mythos.healing.service.HealingMetrics;
import io.mythos.healing.service.RepairService;
import io.mythos.healing.service.RuleService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The outbox's retrier, the rules' refresh and the active-events gauge: scheduled jobs that only delegate. */
@ApplicationScoped
public class RepairRetrier {

    private final RepairService repairs;
    private final HealingMetrics metrics;
    private final RuleService rules;

    public RepairRetrier(RepairService repairs, HealingMetrics metrics, RuleService rules) {
        this.repairs = repairs;
        this.metrics = metrics;
        this.rules = rules;
    }

    @Scheduled(identity = "repair-retrier", every = "${healing.repair.retry-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> retry() {
        return repairs.runDue().replaceWithVoid();
    }

    @Scheduled(identity = "rules-refresh", every = "${healing.rules-refresh-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refreshRules() {
        return rules.refresh();
    }

    @Scheduled(identity = "active-events-gauge", every = "${healing.metrics-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> gauge() {
        return metrics.refreshActive();
    }
}
