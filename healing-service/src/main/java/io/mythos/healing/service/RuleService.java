package io.mythos.healing.service;

import io.mythos.common.healing.Rule;
import io.mythos.common.healing.RuleList;
import io.mythos.common.healing.RuleRequest;
import io.mythos.common.healing.SignalKind;
import io.mythos.healing.config.HealingConfig;
import io.mythos.healing.engine.FiringRule;
import io.mythos.healing.repository.RuleRepository;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.web.ProblemException;
import io.mythos.platform.web.WireEnum;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;

/** The firing rules: written from application.properties at start-up, changed at run time by PUT. */
@ApplicationScoped
public class RuleService {

    private final RuleRepository repository;
    private final HealingConfig config;
    /** The rules as last read, for the ingestion's fast path; the firing decisions read them in their transaction. */
    private volatile Map<SignalKind, FiringRule> cached = Map.of();

    public RuleService(RuleRepository repository, HealingConfig config) {
        this.repository = repository;
        this.config = config;
    }

    void seed(@Observes StartupEvent start) {
        Multi.createFrom().items(SignalKind.values())
                .onItem().transformToUniAndConcatenate(kind -> repository.seed(fromConfig(kind)))
                .collect().last()
                .flatMap(x -> refresh())
                .await().atMost(Duration.ofSeconds(30)); // the main thread, before the HTTP server opens
    }

    /** Re-reads the rules (a PUT on another instance reaches this one at the next refresh). */
    public Uni<Void> refresh() {
        return repository.firingRules().invoke(rules -> cached = rules).replaceWithVoid();
    }

    public Map<SignalKind, FiringRule> cached() {
        return cached;
    }

    private FiringRule fromConfig(SignalKind kind) {
        HealingConfig.RuleConfig rule = config.rules().get(WireEnum.wireName(kind));
        if (rule == null) {
            throw new IllegalStateException("mythos.healing.rules." + WireEnum.wireName(kind) + " is missing from the configuration");
        }
        Double threshold = rule.threshold().isPresent() ? rule.threshold().getAsDouble() : null;
        return new FiringRule(kind, threshold, rule.windowSeconds(), rule.minOccurrences(), rule.cooldownSeconds(),
                rule.verifySeconds(), rule.maxIneffective());
    }

    public Uni<RuleList> list() {
        return repository.list().map(RuleList::new);
    }

    public Uni<Rule> put(String kindName, RuleRequest request, String subject) {
        SignalKind kind;
        try {
            kind = WireEnum.parse(SignalKind.class, kindName, "kind");
        } catch (ProblemException e) {
            throw ProblemException.notFound("No rule '" + kindName + "'; the rules are " + WireEnum.names(SignalKind.class));
        }
        FiringRule configured = fromConfig(kind);
        FiringRule rule = new FiringRule(kind, request.threshold(), request.windowSeconds(), request.minOccurrences(),
                request.cooldownSeconds(),
                request.verifySeconds() == null ? configured.verifySeconds() : request.verifySeconds(),
                request.maxIneffective() == null ? configured.maxIneffective() : request.maxIneffective());
        return IndependentWrite.run(() -> repository.put(rule, subject).call(this::refresh));
    }
}
