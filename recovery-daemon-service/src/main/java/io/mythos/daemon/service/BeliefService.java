package io.mythos.daemon.service;

import io.mythos.common.daemon.BeliefReport;
import io.mythos.common.daemon.BeliefReportAck;
import io.mythos.daemon.belief.BeliefMath;
import io.mythos.daemon.config.DaemonConfig;
import io.mythos.daemon.repository.ReplicaRepository;
import io.mythos.daemon.repository.ReplicaRepository.StoredReplica;
import io.mythos.daemon.repository.ZoneRepository;
import io.mythos.platform.reactive.IndependentWrite;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
     */
    public Uni<BeliefReportAck> report(String zone, BeliefReport report) {
        return IndependentWrite.run(() -> pool.withTransaction(conn -> zones.ensure(conn, zone)
                .chain(() -> replicas.upsert(conn, zone, report.assistantId(), report.beliefs()))
                .chain(version -> replicas.ofZones(conn, List.of(zone), config.staleAfter())
                        .chain(stored -> zones.cyclesWithoutFall(conn, zone).chain(withoutFall -> {
                            double divergence = BeliefMath.zoneDivergence(fresh(stored));
                            return zones.afterReport(conn, zone, divergence,
                                    BeliefMath.status(divergence, withoutFall, config.recoveryParameters()));
                        }))
                        .replaceWith(new BeliefReportAck(zone, report.assistantId(), version)))));
    }

    static List<Map<String, Double>> fresh(List<StoredReplica> stored) {
        List<Map<String, Double>> fresh = new ArrayList<>(stored.size());
        for (StoredReplica s : stored) {
            if (s.fresh()) {
                fresh.add(s.replica().beliefs());
            }
        }
        return fresh;
    }
}
