package io.mythos.daemon.service;

import io.mythos.common.daemon.CycleSummary;
import io.mythos.platform.reactive.IndependentWrite;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One daemon cycle: recover every zone that needs it, then send the pending escalations. A cycle asked
 * for over HTTP runs to its end even if the caller hangs up (its writes are as final as a scheduled one's).
 */
@ApplicationScoped
public class CycleService {

    private final ZoneRecoveryService recovery;
    private final EscalationService escalations;

    public CycleService(ZoneRecoveryService recovery, EscalationService escalations) {
        this.recovery = recovery;
        this.escalations = escalations;
    }

    public Uni<CycleSummary> runOnce() {
        return IndependentWrite.run(this::cycle);
    }

    private Uni<CycleSummary> cycle() {
        long start = System.nanoTime();
        return recovery.runCycle().chain(result -> {
            long durationMs = (System.nanoTime() - start) / 1_000_000;
            return escalations.dispatchPending().map(sent -> new CycleSummary(result.zones().size(),
                    result.records().size(), result.applied(), result.conflicts(), result.escalations(),
                    sent.sent(), durationMs));
        });
    }
}
