package io.mythos.healing.service;

import io.mythos.common.healing.Assistant;
import io.mythos.common.healing.AssistantList;
import io.mythos.common.healing.AssistantRequest;
import io.mythos.healing.model.AssistantEntity;
import io.mythos.healing.repository.AssistantRepository;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.web.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The assistant registry that healing events reference. */
@ApplicationScoped
public class AssistantService {

    private final AssistantRepository repository;

    public AssistantService(AssistantRepository repository) {
        this.repository = repository;
    }

    public Uni<AssistantRepository.Upserted> put(String assistantId, AssistantRequest request) {
        return put(assistantId, request, null);
    }

    /** Registers or updates, recorded in the audit trail with the token's {@code subject}. */
    public Uni<AssistantRepository.Upserted> put(String assistantId, AssistantRequest request, String subject) {
        return IndependentWrite.run(() -> repository.upsert(assistantId, request, subject));
    }

    @WithSession
    public Uni<Assistant> get(String assistantId) {
        return repository.findById(assistantId)
                .onItem().ifNull().failWith(() -> unknown(assistantId))
                .map(AssistantEntity::toView);
    }

    @WithSession
    public Uni<AssistantList> list(String group, String zone, int limit, int offset) {
        return repository.page(group, zone, limit, offset)
                .flatMap(page -> repository.count(group, zone)
                        .map(total -> new AssistantList(page.stream().map(AssistantEntity::toView).toList(), total)));
    }

    /** Deletes the assistant; the database cascades to its signals and healing events (and their actions). */
    public Uni<Void> delete(String assistantId) {
        return delete(assistantId, null);
    }

    /** Deletes, recorded in the audit trail with the token's {@code subject} (one statement: the delete and its entry). */
    public Uni<Void> delete(String assistantId, String subject) {
        return IndependentWrite.run(() -> repository.delete(assistantId, subject))
                .flatMap(deleted -> deleted ? Uni.createFrom().voidItem() : Uni.createFrom().failure(unknown(assistantId)));
    }

    private static ProblemException unknown(String assistantId) {
        return ProblemException.notFound("No assistant '" + assistantId + "'");
    }
}
