package io.mythos.healing.service;

import io.mythos.common.healing.Silence;
import io.mythos.common.healing.SilenceList;
import io.mythos.common.healing.SilenceRequest;
import io.mythos.healing.repository.SilenceRepository;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Silences (maintenance windows): a firing they match opens a silenced event, without repair. */
@ApplicationScoped
public class SilenceService {

    /** How far ahead a silence may end. */
    static final int MAX_DAYS_AHEAD = 365;

    private final SilenceRepository repository;
    private final Clock clock;

    public SilenceService(SilenceRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public Uni<Silence> create(SilenceRequest request, String subject) {
        if (request.matchers().isEmpty()) {
            throw ProblemException.invalid("matchers", "at least one of node_id, assistant_id, group, triggered_by is required");
        }
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime starts = request.startsAt() == null ? now : request.startsAt();
        if (!request.endsAt().isAfter(starts)) {
            throw ProblemException.invalid("ends_at", "must be after starts_at");
        }
        if (!request.endsAt().isAfter(now)) {
            throw ProblemException.invalid("ends_at", "must be in the future");
        }
        if (request.endsAt().isAfter(now.plusDays(MAX_DAYS_AHEAD))) {
            throw ProblemException.invalid("ends_at", "must be at most " + MAX_DAYS_AHEAD + " days ahead");
        }
        if (starts.isBefore(now.minusDays(30))) {
            throw ProblemException.invalid("starts_at", "must be at most 30 days ago");
        }
        return IndependentWrite.run(() -> repository.create(request.matchers(), request.startsAt(), request.endsAt(),
                request.comment(), subject));
    }

    public Uni<SilenceList> list(int limit, int offset) {
        return repository.page(limit, offset).map(p -> new SilenceList(p.silences(), p.total()));
    }

    public Uni<Silence> get(String id) {
        UUID uuid = Ids.uuid(id);
        return repository.byId(uuid).onItem().ifNull().failWith(() -> notFound(id));
    }

    public Uni<Void> delete(String id, String subject) {
        UUID uuid = Ids.uuid(id);
        return IndependentWrite.run(() -> repository.delete(uuid, subject))
                .flatMap(deleted -> deleted ? Uni.createFrom().voidItem() : Uni.createFrom().failure(notFound(id)));
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("No silence " + id + " in force or to come");
    }
}
