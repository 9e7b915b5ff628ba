package io.mythos.daemon.scheduler;

import io.mythos.daemon.service.EscalationService;
import io.mythos.daemon.service.RecoveryService;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** The daemon's heartbeat: one recovery cycle, then the pending escalations. Delegates only. */
@ApplicationScoped
public class RecoveryJob {

    private static final Logger LOG = Logger.getLogger(RecoveryJob.class);

    private final RecoveryService recovery;
    private final EscalationService escalations;

    public RecoveryJob(RecoveryService recovery, EscalationService escalations) {
        this.recovery = recovery;
        this.escalations = escalations;
    }

    @Scheduled(identity = "recovery-cycle", every = "${daemon.interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> cycle() {
        return recovery.runCycle()
                .invoke(r -> {
                    if (!r.records().isEmpty()) {
                        LOG.debugf("Recovery cycle: %d zones checked, %d recovered, %d resyncs, %d conflicts",
                                r.zones().size(), r.records().size(), r.applied(), r.conflicts());
                    }
                })
                .chain(escalations::dispatchPending)
                .onFailure().invoke(t -> LOG.warn("Recovery cycle failed; the next one retries", t))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
