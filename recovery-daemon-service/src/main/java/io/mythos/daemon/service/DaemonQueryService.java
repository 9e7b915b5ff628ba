package io.mythos.daemon.service;

import io.mythos.common.daemon.DaemonOverview;
import io.mythos.common.daemon.PathPoint;
import io.mythos.common.daemon.RecoveryEventList;
import io.mythos.common.daemon.ReplicaState;
import io.mythos.common.daemon.ZoneDetail;
import io.mythos.common.daemon.ZoneSummary;
import io.mythos.platform.web.ProblemException;
import io.mythos.daemon.config.DaemonConfig;
import io.mythos.daemon.repository.RecoveryEventRepository;
import io.mythos.daemon.repository.ReplicaRepository;
import io.mythos.daemon.repository.ReplicaRepository.ReplicaMeta;
import io.mythos.daemon.repository.ReplicaRepository.StoredZone;
import io.mythos.daemon.repository.ZoneRepository;
import io.mythos.daemon.repository.ZoneRepository.ZoneCounts;
import io.mythos.platform.reactive.Offload;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The read side: the overview, one zone with its consensus and whole path, a zone's records. */
@ApplicationScoped
public class DaemonQueryService {

    /** Points of each zone's path in the overview (the zone's own route has them all). */
    public static final int OVERVIEW_POINTS = 20;
    /** Records in the overview's recent_events. */
    public static final int RECENT_EVENTS = 20;

    private final Pool pool;
    private final ZoneRepository zones;
    private final ReplicaRepository replicas;
    private final RecoveryEventRepository events;
    private final DaemonConfig config;

    public DaemonQueryService(Pool pool, ZoneRepository zones, ReplicaRepository replicas,
                              RecoveryEventRepository events, DaemonConfig config) {
        this.pool = pool;
        this.zones = zones;
        this.replicas = replicas;
        this.events = events;
        this.config = config;
    }

    public Uni<DaemonOverview> overview() {
        return pool.withConnection(conn -> zones.counts(conn, null, config.staleAfter())
                .chain(counts -> zones.lastPoints(conn, OVERVIEW_POINTS)
                        .chain(points -> events.recent(conn, RECENT_EVENTS, config.maxPageBytes()).map(recent -> {
                            List<ZoneSummary> list = new ArrayList<>(counts.size());
                            for (ZoneCounts c : counts) {
                                list.add(new ZoneSummary(c.zone(), c.status(), c.divergence(), c.replicas(),
                                        c.staleReplicas(), c.cycles(), c.lastRecoveryScore(),
                                        points.getOrDefault(c.zone(), List.of())));
                            }
                            return new DaemonOverview(list, recent);
                        }))));
    }

    public Uni<ZoneDetail> zone(String zone) {
        return pool.withConnection(conn -> zones.counts(conn, zone, config.staleAfter()).chain(found -> {
            if (found.isEmpty()) {
                throw ProblemException.notFound("Zone " + zone + " has no replicas");
            }
            ZoneCounts c = found.get(0);
            return replicas.zone(conn, zone, config.staleAfter(), config.offloadChars())
                    .chain(stored -> zones.path(conn, zone).chain(path -> Offload.ifLarge(
                            stored.beliefs().valueCount(), config.offloadValues(), () -> detail(c, stored, path))));
        }));
    }

    private static ZoneDetail detail(ZoneCounts c, StoredZone stored, List<PathPoint> path) {
        Map<String, Double> consensus = stored.beliefs().consensus();
        double[] divergences = stored.beliefs().divergences();
        List<ReplicaState> states = new ArrayList<>(stored.replicas().size());
        for (int i = 0; i < stored.replicas().size(); i++) {
            ReplicaMeta r = stored.replicas().get(i);
            states.add(new ReplicaState(r.assistantId(), r.version(), r.reportedAt(), !r.fresh(),
                    r.fresh() ? divergences[i] : null));
        }
        return new ZoneDetail(c.zone(), c.status(), c.divergence(), c.replicas(), c.staleReplicas(), c.cycles(),
                c.lastRecoveryScore(), path, consensus, states);
    }

    public Uni<RecoveryEventList> events(String zone, int limit, int offset) {
        return pool.withConnection(conn -> zones.counts(conn, zone, config.staleAfter()).chain(found -> {
            if (found.isEmpty()) {
                throw ProblemException.notFound("Zone " + zone + " has no replicas");
            }
            return events.page(conn, zone, limit, offset, config.maxPageBytes())
                    .chain(page -> events.count(conn, zone).map(total -> new RecoveryEventList(page, total)));
        }));
    }
}
