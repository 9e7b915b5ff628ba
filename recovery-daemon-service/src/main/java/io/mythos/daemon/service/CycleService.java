package io.mythos.daemon.service;

import io.mythos.common.daemon.CycleSummary;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** One daemon cycle: recover every zone that needs it, then send the pending escalations. */
@ApplicationScoped
public class CycleService {

    private final RecoveryService recovery;
    private final EscalationService escalations;

    public CycleService(RecoveryService recovery, EscalationService escalations) {
        this.recovery = recovery;
        this.escalations = escalations;
    }

    public Uni<CycleSummary> runOnce() {
        return Uni.createFrom().item(System::nanoTime).chain(start -> recovery.runCycle()
                .chain(result -> {
                    long durationMs = (System.nanoTime() - start) / 1_000_000;
                    return escalations.dispatchPending().map(sent -> new CycleSummary(result.zones().size(),
                            result.records().size(), result.applied(), result.conflicts(), result.escalations(),
                            sent.sent(), durationMs));
                }));
    }
}
