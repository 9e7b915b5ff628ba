package io.mythos.healing.service;

import io.mythos.common.healing.StormRelease;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.repository.StormRepository;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.web.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/** The storm guard's releases: automatic when a group calms, or by an operator. */
@ApplicationScoped
public class StormService {

    private static final Logger LOG = Logger.getLogger(StormService.class);

    private final StormRepository storms;
    private final RepairService repairs;
    private final HealingConfig config;

    public StormService(StormRepository storms, RepairService repairs, HealingConfig config) {
        this.storms = storms;
        this.repairs = repairs;
        this.config = config;
    }

    public Uni<List<StormRepository.Storm>> list() {
        return storms.list();
    }

    /** Releases every held action of the group (404 when it is neither in a storm nor holding any action). */
    public Uni<StormRelease> release(String group, String subject) {
        return IndependentWrite.run(() -> storms.releaseByOperator(group, subject))
                .map(released -> {
                    if (!released.wasInStorm() && released.released() == 0) {
                        throw ProblemException.notFound("No storm and no held action in group '" + group + "'");
                    }
                    if (released.released() > 0) {
                        repairs.runDueInBackground();
                    }
                    return new StormRelease(group, released.released());
                });
    }

    /** Releases each stormy group that has calmed; answers how many actions it released. */
    public Uni<Integer> releaseCalmGroups() {
        return storms.stormyGroups()
                .flatMap(groups -> Multi.createFrom().iterable(groups)
                        .onItem().transformToUniAndConcatenate(g -> storms.releaseIfCalm(g, config.stormFraction(), config.stormMinAssistants(),
                                config.stormWindow())
                                .map(r -> {
                                    if (r == null) {
                                        return 0;
                                    }
                                    LOG.infof("storm in group %s calmed: %d held actions released", g, r.released());
                                    return r.released();
                                }))
                        .collect().asList()
                        .map(counts -> counts.stream().mapToInt(Integer::intValue).sum()))
                .invoke(released -> {
                    if (released > 0) {
                        repairs.runDueInBackground();
                    }
                });
    }
}
