package io.mythos.daemon.scheduler;

import io.mythos.daemon.service.CycleService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The daemon's heartbeat (every {@code mythos.daemon.interval}); it only delegates to {@link CycleService}. */
@ApplicationScoped
public class RecoveryJob {

    private static final Logger LOG = Logger.getLogger(RecoveryJob.class);

    private final CycleService cycles;

    public RecoveryJob(CycleService cycles) {
        this.cycles = cycles;
    }

    @Scheduled(identity = "recovery-cycle", every = "${mythos.daemon.interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> cycle() {
        return cycles.runOnce()
                .invoke(s -> {
                    if (s.recovered() > 0 || s.escalationsSent() > 0) {
                        LOG.debugf("Recovery cycle: %s", s);
                    }
                })
                .onFailure().invoke(t -> LOG.warn("Recovery cycle failed; the next one retries", t))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
