package io.mythos.loadbalancer.service;

import io.mythos.common.load.Task;
import io.mythos.common.load.TaskList;
import io.mythos.common.load.TaskStatus;
import io.mythos.loadbalancer.config.BalancerConfig;
import io.mythos.loadbalancer.repository.TaskRepository;
import io.mythos.platform.reactive.IndependentWrite;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The decentralization task queue: list, claim under a lease, complete, fail, lease expiry. */
@ApplicationScoped
public class TaskService {

    private final TaskRepository tasks;
    private final BalancerMetrics metrics;
    private final BalancerConfig config;

    public TaskService(TaskRepository tasks, BalancerMetrics metrics, BalancerConfig config) {
        this.tasks = tasks;
        this.metrics = metrics;
        this.config = config;
    }

    public Uni<TaskList> page(TaskStatus status, int limit, int offset) {
        return tasks.page(status, limit, offset).chain(list -> tasks.count(status).map(total -> new TaskList(list, total)));
    }

    /** The oldest pending task (or one whose lease ran out), claimed for {@code worker}; null when none. */
    public Uni<Task> claim(String worker) {
        return IndependentWrite.run(() -> tasks.claim(worker, config.lease())).invoke(t -> {
            if (t != null) {
                metrics.tasks(TaskStatus.CLAIMED, 1);
            }
        });
    }

    public Uni<Task> finish(UUID taskId, TaskStatus outcome, String worker, String reason) {
        return IndependentWrite.run(() -> tasks.finish(taskId, outcome, worker, reason)).invoke(t -> metrics.tasks(outcome, 1));
    }

    /** Returns expired claims to pending (the scheduler calls this; a claim also takes expired ones itself). */
    public Uni<Integer> expireLeases() {
        return tasks.expireLeases().invoke(n -> metrics.tasks(TaskStatus.PENDING, n));
    }
}
