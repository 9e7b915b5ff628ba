package io.mythos.loadbalancer.scheduler;

import io.mythos.loadbalancer.service.TaskService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Puts claimed tasks whose lease ran out back to pending, so that listings show them as claimable. */
@ApplicationScoped
public class LeaseExpiryJob {

    private final TaskService tasks;

    public LeaseExpiryJob(TaskService tasks) {
        this.tasks = tasks;
    }

    // the period's one default is BalancerConfig's
    @Scheduled(identity = "lease-sweep", every = "${mythos.load-balancer.lease-sweep-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return tasks.expireLeases().replaceWithVoid();
    }
}
