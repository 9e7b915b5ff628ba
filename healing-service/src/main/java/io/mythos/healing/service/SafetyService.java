package io.mythos.healing.service;

import io.mythos.common.healing.AuditList;
import io.mythos.common.healing.EventStatus;
import io.mythos.common.healing.HealingStats;
import io.mythos.common.healing.SignalKind;
import io.mythos.healing.engine.Effectiveness;
import io.mythos.healing.repository.AuditRepository;
import io.mythos.healing.repository.StatsRepository;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timed steps of the event lifecycle (verification's verdicts, the end of silenced events, the release of
 * calm storms), the statistics and the audit trail.
 */
@ApplicationScoped
public class SafetyService {

    private final StatsRepository stats;
    private final AuditRepository audit;
    private final StormService storms;
    private final Clock clock;

    public SafetyService(StatsRepository stats, AuditRepository audit, StormService storms, Clock clock) {
        this.stats = stats;
        this.audit = audit;
        this.storms = storms;
        this.clock = clock;
    }

    /** One round of the timed steps (a scheduler job, on every instance; each step is one idempotent statement). */
    public Uni<Void> tick() {
        return stats.decideEffective()
                .chain(stats::endExpiredSilenced)
                .chain(storms::releaseCalmGroups)
                .replaceWithVoid();
    }

    public Uni<HealingStats> stats(long windowSeconds) {
        OffsetDateTime to = OffsetDateTime.now(clock);
        OffsetDateTime from = to.minusSeconds(windowSeconds);
        return stats.counts(from, to).map(counts -> summarize(from, to, windowSeconds, counts));
    }

    static HealingStats summarize(OffsetDateTime from, OffsetDateTime to, long windowSeconds, List<StatsRepository.Count> counts) {
        Map<String, Long> byStatus = zeroes();
        Map<String, HealingStats.TriggerStats> byTrigger = new LinkedHashMap<>();
        long total = 0;
        for (SignalKind trigger : SignalKind.values()) {
            Map<String, Long> perStatus = zeroes();
            long events = 0;
            long effective = 0;
            long ineffective = 0;
            long verifying = 0;
            for (StatsRepository.Count c : counts) {
                if (c.trigger() == trigger) {
                    perStatus.merge(WireEnum.wireName(c.status()), c.events(), Long::sum);
                    byStatus.merge(WireEnum.wireName(c.status()), c.events(), Long::sum);
                    events += c.events();
                    effective += c.effective();
                    ineffective += c.ineffective();
                    verifying += c.verifying();
                }
            }
            total += events;
            byTrigger.put(WireEnum.wireName(trigger), new HealingStats.TriggerStats(events, perStatus, effective, ineffective,
                    verifying, Effectiveness.share(effective, ineffective)));
        }
        return new HealingStats(from, to, windowSeconds, total, byStatus, byTrigger);
    }

    private static Map<String, Long> zeroes() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (EventStatus s : EventStatus.values()) {
            m.put(WireEnum.wireName(s), 0L);
        }
        return m;
    }

    public Uni<AuditList> audit(String action, String subject, int limit, int offset) {
        return audit.page(action, subject, limit, offset).map(p -> new AuditList(p.entries(), p.total()));
    }
}
