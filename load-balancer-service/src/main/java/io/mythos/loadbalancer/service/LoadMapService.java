package io.mythos.loadbalancer.service;

import io.mythos.common.load.LoadEvent;
import io.mythos.common.load.LoadMapView;
import io.mythos.common.load.LoadMapView.AssistantView;
import io.mythos.common.load.LoadMapView.GroupView;
import io.mythos.common.load.LoadMetrics;
import io.mythos.common.load.PressureRequest;
import io.mythos.common.load.PressureResult;
import io.mythos.loadbalancer.planner.LoadFormulas;
import io.mythos.loadbalancer.repository.LoadMapRepository;
import io.mythos.loadbalancer.repository.LoadMapRepository.AssistantAggregate;
import io.mythos.platform.reactive.Coalesced;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/** The load map: partial upserts, deletes, the live view, and the change notification. */
@ApplicationScoped
public class LoadMapService {

    private static final Logger LOG = Logger.getLogger(LoadMapService.class);
    static final int HOTTEST = 20;
    private static final int RACE_RETRIES = 5;

    private final Pool pool;
    private final LoadMapRepository maps;
    private final LoadEvents events;
    private final BalancerMetrics metrics;
    /** The recomputation after changes while no stream is open: shared by the changes that come while one runs. */
    private final Coalesced<LoadMetrics> unwatched = new Coalesced<>(this::recompute);

    public LoadMapService(Pool pool, LoadMapRepository maps, LoadEvents events, BalancerMetrics metrics) {
        this.pool = pool;
        this.maps = maps;
        this.events = events;
        this.metrics = metrics;
    }

    public Uni<PressureResult> upsert(PressureRequest req) {
        rejectDuplicates(req.assistants(), PressureRequest.AssistantLoad::assistantId, "assistants", "assistant_id");
        rejectDuplicates(req.codices(), PressureRequest.CodexLoad::codexId, "codices", "codex_id");
        rejectDuplicates(req.rituals(), PressureRequest.RitualLoad::ritualId, "rituals", "ritual_id");
        return IndependentWrite.run(() -> retryingRaces(pool.withTransaction(conn -> maps.upsert(conn, req))))
                .chain(this::changed)
                .map(m -> new PressureResult(size(req.assistants()), size(req.codices()), size(req.rituals()), m));
    }

    public Uni<Void> deleteAssistant(String id) {
        return write(conn -> maps.deleteAssistant(conn, id));
    }

    public Uni<Void> deleteCodex(String id) {
        return write(conn -> maps.deleteCodex(conn, id));
    }

    public Uni<Void> deleteRitual(String id) {
        return write(conn -> maps.deleteRitual(conn, id));
    }

    private Uni<Void> write(Function<SqlConnection, Uni<Void>> work) {
        return IndependentWrite.run(() -> retryingRaces(pool.withTransaction(work))).call(this::changed);
    }

    /** A write that lost a race for its group locks rolled back and is done again (a few times at most). */
    private static <T> Uni<T> retryingRaces(Uni<T> transaction) {
        return transaction.onFailure(LoadMapRepository.GroupsMoved.class).retry().atMost(RACE_RETRIES);
    }

    /** The live map of one group (404 when no assistant is in it) or of everything. */
    public Uni<LoadMapView> view(String group) {
        return maps.aggregates(group).chain(rows -> {
            if (group != null && rows.isEmpty()) {
                throw ProblemException.notFound("No assistant of group " + group + " in the load map");
            }
            return maps.hottest(group, HOTTEST).map(hot -> build(rows, hot));
        });
    }

    /**
     * After a committed change: recompute the whole map's figures, refresh the gauges and tell the
     * stream's subscribers. Never fails the write that triggered it. While a stream is open each change gets a
     * recomputation and an event of its own (API.md: one event each time the map changes); while none is, only the
     * gauges and the writer's answer need the figures, so changes that come while one recomputation runs share the
     * next (each still gets figures computed after it committed): the two whole-map reads were two of the fifteen
     * statements of every rebalance under load (issue 10).
     */
    Uni<LoadMetrics> changed() {
        return (metrics.openStreams() > 0 ? recompute() : unwatched.run())
                .onFailure().recoverWithItem(e -> {
                    LOG.warn("Could not publish the load map's metrics after a change", e);
                    return null;
                });
    }

    private Uni<LoadMetrics> recompute() {
        return view(null).map(v -> {
            metrics.groups(v.groups());
            events.publish(new LoadEvent(v.metrics(), v.generatedAt()));
            return v.metrics();
        });
    }

    /** One group's sums over its assistants, for the group view and the lower bound. */
    private record GroupTotals(double load, double effectiveCapacity, double maxUtilization, int assistants,
                               double largestEffectiveCapacity, double heaviestCodex) {

        GroupTotals plus(GroupTotals other) {
            return new GroupTotals(load + other.load, effectiveCapacity + other.effectiveCapacity,
                    Math.max(maxUtilization, other.maxUtilization), assistants + other.assistants,
                    Math.max(largestEffectiveCapacity, other.largestEffectiveCapacity),
                    Math.max(heaviestCodex, other.heaviestCodex));
        }

        double meanUtilization() {
            return load / effectiveCapacity;
        }
    }

    static LoadMapView build(List<AssistantAggregate> rows, List<LoadMapView.HotCodex> hottest) {
        List<AssistantView> assistants = new ArrayList<>(rows.size());
        Map<String, GroupTotals> groups = new TreeMap<>();
        double totalPressure = 0;
        double sumLoad = 0;
        double sumEff = 0;
        double max = 0;
        for (AssistantAggregate r : rows) {
            double eff = LoadFormulas.effectiveCapacity(r.capacity(), r.memoryEntropy());
            double load = LoadFormulas.load(r.pressure(), r.ritualDensity());
            double util = load / eff;
            assistants.add(new AssistantView(r.assistantId(), r.group(), r.capacity(), eff, load, util, r.memoryEntropy(),
                    r.ritualDensity(), r.codices()));
            groups.merge(r.group(), new GroupTotals(load, eff, util, 1, eff, r.maxPressure()), GroupTotals::plus);
            totalPressure += r.pressure();
            sumLoad += load;
            sumEff += eff;
            max = Math.max(max, util);
        }
        List<GroupView> groupViews = new ArrayList<>();
        double mean = sumEff > 0 ? sumLoad / sumEff : 0;
        double lowerBound = mean;
        for (Map.Entry<String, GroupTotals> e : groups.entrySet()) {
            GroupTotals g = e.getValue();
            groupViews.add(new GroupView(e.getKey(), g.assistants(), g.load(), g.effectiveCapacity(), g.meanUtilization(),
                    g.maxUtilization(), LoadFormulas.imbalance(g.maxUtilization(), g.meanUtilization())));
            // DESIGN.md's lower bound: no assignment of whole codices gets below the heaviest codex on the largest assistant
            lowerBound = Math.max(lowerBound, g.heaviestCodex() / g.largestEffectiveCapacity());
        }
        LoadMetrics m = new LoadMetrics(totalPressure, mean, max, LoadFormulas.imbalance(max, mean), lowerBound);
        return new LoadMapView(assistants, groupViews, hottest, m, OffsetDateTime.now(ZoneOffset.UTC));
    }

    private static <T> void rejectDuplicates(List<T> list, Function<T, String> id, String field, String idField) {
        if (list == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!seen.add(id.apply(list.get(i)))) {
                throw ProblemException.invalid(field + "[" + i + "]." + idField, "appears more than once in this request");
            }
        }
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }
}
