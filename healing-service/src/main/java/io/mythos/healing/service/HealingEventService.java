package io.mythos.healing.service;

import io.mythos.common.healing.EventStatus;
import io.mythos.common.healing.HealingEvent;
import io.mythos.common.healing.HealingEventList;
import io.mythos.common.healing.SignalKind;
import io.mythos.platform.reactive.IndependentWrite;
import io.mythos.platform.web.ProblemException;
import io.mythos.platform.web.WireEnum;
import io.mythos.healing.repository.EventRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Lists and reads the healing events with their repair actions (the recovery routes). */
@ApplicationScoped
public class HealingEventService {

    private final EventRepository events;

    public HealingEventService(EventRepository events) {
        this.events = events;
    }

    /** {@code status}: active (default), resolved, failed or all. */
    public Uni<HealingEventList> list(String status, String nodeId, String assistantId, String triggeredBy, int limit,
                                      int offset) {
        EventStatus wanted = "all".equals(status) ? null : parseStatus(status == null ? "active" : status);
        SignalKind trigger = WireEnum.parse(SignalKind.class, triggeredBy, "triggered_by");
        return events.page(wanted, nodeId, assistantId, trigger, limit, offset)
                .map(page -> new HealingEventList(page.events(), page.total()));
    }

    public Uni<HealingEvent> get(String id) {
        UUID uuid;
        try {
            if (id.length() != 36) {
                throw new IllegalArgumentException(id);
            }
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("id", "must be a UUID");
        }
        return events.byId(uuid).onItem().ifNull().failWith(() -> ProblemException.notFound("No healing event " + id));
    }

    /**
     * An operator ends an escalated event (the flapping guard's): 404 for no such event, 409 when it is
     * not escalated. The flapping guard then counts afresh from this resolution.
     */
    public Uni<HealingEvent> resolve(String id, String subject) {
        UUID uuid = Ids.uuid(id);
        return IndependentWrite.run(() -> events.resolveEscalated(uuid, subject))
                .flatMap(r -> {
                    if (r.found() == null) {
                        return Uni.createFrom().failure(ProblemException.notFound("No healing event " + id));
                    }
                    if (!r.resolved()) {
                        return Uni.createFrom().failure(ProblemException.conflict("Healing event " + id + " is "
                                + WireEnum.wireName(r.found()) + "; only an escalated event is resolved by an operator"));
                    }
                    return events.byId(uuid);
                });
    }

    private static EventStatus parseStatus(String status) {
        if (WireEnum.names(EventStatus.class).contains(status)) {
            return WireEnum.parse(EventStatus.class, status, "status");
        }
        throw ProblemException.invalid("status", "must be one of " + statuses());
    }

    private static String statuses() {
        java.util.List<String> names = new java.util.ArrayList<>(WireEnum.names(EventStatus.class));
        names.add("all");
        return names.toString();
    }
}
