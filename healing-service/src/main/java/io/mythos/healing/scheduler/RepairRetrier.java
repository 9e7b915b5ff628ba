package io.mythos.healing.scheduler;

import io.mythos.healing.service.HealingMetrics;
import io.mythos.healing.service.RepairService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The outbox's retrier and the active-events gauge: scheduled jobs that only delegate. */
@ApplicationScoped
public class RepairRetrier {

    private final RepairService repairs;
    private final HealingMetrics metrics;

    public RepairRetrier(RepairService repairs, HealingMetrics metrics) {
        this.repairs = repairs;
        this.metrics = metrics;
    }

    @Scheduled(identity = "repair-retrier", every = "${healing.repair.retry-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> retry() {
        return repairs.runDue().replaceWithVoid();
    }

    @Scheduled(identity = "active-events-gauge", every = "${healing.metrics-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> gauge() {
        return metrics.refreshActive();
    }
}
