package io.mythos.platform.retention;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Runs {@link Retention} every {@code mythos.http.retention.interval} (first run one interval after start). */
@ApplicationScoped
public class RetentionJob {

    private final Retention retention;

    public RetentionJob(Retention retention) {
        this.retention = retention;
    }

    @Scheduled(identity = "retention", every = "${mythos.http.retention.interval}", delayed = "${mythos.http.retention.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> purge() {
        return retention.purge().onFailure().recoverWithNull().replaceWithVoid();
    }
}
