package io.mythos.daemon.service;

import io.mythos.common.daemon.BeliefReport;
import io.mythos.common.daemon.BeliefReportAck;
import io.mythos.daemon.belief.BeliefMath;
import io.mythos.daemon.belief.BeliefTable;
import io.mythos.daemon.config.DaemonConfig;
import io.mythos.daemon.repository.ReplicaRepository;
import io.mythos.daemon.repository.ReplicaRepository.StoredReplica;
import io.mythos.daemon.repository.ZoneRepository;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.reactive.Offload;
import io.mythos.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Replica reports: each replaces the replica's beliefs and refreshes the zone's divergence. */
@ApplicationScoped
public class BeliefService {

    private final Pool pool;
    private final ZoneRepository zones;
    private final ReplicaRepository replicas;
    private final DaemonConfig config;

    public BeliefService(Pool pool, ZoneRepository zones, ReplicaRepository replicas, DaemonConfig config) {
        this.pool = pool;
        this.zones = zones;
        this.replicas = replicas;
        this.config = config;
    }

    /**
     * Lock order replica row, then zone row, as in a recovery (which updates replicas before zones), so
     * a report and a recovery never deadlock. The zone's status is a best effort here: the next cycle
     * checks the zone again (its reported_seq moved). Once called, the report is stored (or not) whole,
     * even if the caller hangs up.
     * <p>
     * Per-zone caps (DESIGN.md "Limits and isolation"): a report that would give the zone more than
     * {@code max-replicas-per-zone} replicas or {@code max-beliefs-per-zone} distinct belief names is a 422
     * naming the cap, and its transaction rolls back (nothing stored). The reports of one zone take turns
     * ({@link ZoneRepository#lockReports}, held to the commit), so each checks the zone with every earlier
     * report in it, also when many first reports of a new zone arrive at once. The zone's figures cost
     * O(replicas x beliefs x log replicas) (a BeliefTable), on a worker thread when the zone is large.
     */
    public Uni<BeliefReportAck> report(String zone, BeliefReport report) {
        return IndependentWrite.run(() -> pool.withTransaction(conn -> zones.lockReports(conn, zone)
                .chain(() -> zones.ensure(conn, zone))
                .chain(() -> replicas.upsert(conn, zone, report.assistantId(), report.beliefs()))
                .chain(version -> replicas.zone(conn, zone, config.staleAfter(), config.offloadChars())
                        .chain(stored -> Offload.ifLarge(stored.beliefs().valueCount(), config.offloadValues(), () -> {
                            checkCaps(zone, stored.beliefs());
                            return stored.beliefs().zoneDivergence();
                        }))
                        .chain(divergence -> zones.cyclesWithoutFall(conn, zone).chain(withoutFall ->
                                zones.afterReport(conn, zone, divergence,
                                        BeliefMath.status(divergence, withoutFall, config.recoveryParameters()))))
                        .replaceWith(new BeliefReportAck(zone, report.assistantId(), version)))));
    }

    private void checkCaps(String zone, BeliefTable stored) {
        if (stored.replicaCount() > config.maxReplicasPerZone()) {
            throw new ProblemException(422, "Zone Cap Exceeded", "Zone " + zone + " would have " + stored.replicaCount()
                    + " replicas; the cap is " + config.maxReplicasPerZone() + " replicas per zone (max-replicas-per-zone)", null);
        }
        if (stored.beliefCount() > config.maxBeliefsPerZone()) {
            throw new ProblemException(422, "Zone Cap Exceeded", "Zone " + zone + " would have " + stored.beliefCount()
                    + " distinct belief names; the cap is " + config.maxBeliefsPerZone()
                    + " distinct beliefs per zone (max-beliefs-per-zone)", null);
        }
    }

    static long values(List<StoredReplica> stored) {
        long n = 0;
        for (StoredReplica s : stored) {
            n += s.replica().beliefs().size();
        }
        return n;
    }
}
