package io.mythos.healing.repository;

import io.mythos.common.healing.ActionStatus;
import io.mythos.common.healing.ActionType;
import io.mythos.healing.engine.Brake;
import io.mythos.platform.sql.Columns;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The outbox of repair actions: claiming the due ones and recording what their calls gave. */
@ApplicationScoped
public class ActionRepository {

    /** One claim at a time across all instances, so that the brake counts every instance's calls. */
    private static final long CLAIM_LOCK = 0x6865616c696e67L; // "healing"

    private final Pool pool;
    private final EventRepository events;

    public ActionRepository(Pool pool, EventRepository events) {
        this.pool = pool;
        this.events = events;
    }

    /** A claimed action; {@code attempts} counts the calls made before this one. */
    public record Claimed(UUID id, UUID eventId, ActionType type, String target, int attempts) {
    }

    /** What one call gave: a final status, or PENDING to try again later. */
    public record Outcome(ActionStatus status, Double improvement, String resultJson, String error) {
    }

    /**
     * Claims the due pending actions, oldest event first, within the brake: actions of events that
     * already have a call in flight, plus those of at most {@code maxEvents} − (such events) others.
     * A claim lasts {@code lease}; if this instance dies meanwhile, the action becomes due again.
     */
    public Uni<List<Claimed>> claimDue(int maxEvents, int limit, Duration lease) {
        return claim(maxEvents, limit, lease).map(Claim::chosen);
    }

    /**
     * What a claim took, and whether it may have left due actions behind: the brake or {@code limit} cut the
     * due ones short. Only then can the end of a call free room for more (DESIGN.md: new events kick a claim
     * of their own, retries are the retrier's).
     */
    public record Claim(List<Claimed> chosen, boolean more) {
    }

    /** {@link #claimDue}, telling also whether due actions were left behind. */
    public Uni<Claim> claim(int maxEvents, int limit, Duration lease) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(CLAIM_LOCK))
                .flatMap(x -> conn.query("""
                        SELECT DISTINCT event_id FROM healing.repair_action
                        WHERE status = 'pending' AND claimed_until > now()""").execute())
                .flatMap(runningRows -> {
                    Set<UUID> running = new HashSet<>();
                    runningRows.forEach(r -> running.add(r.getUUID(0)));
                    return conn.preparedQuery("""
                                    SELECT a.id, a.event_id, a.type, a.target, a.attempts
                                    FROM healing.repair_action a JOIN healing.healing_event e ON e.id = a.event_id
                                    WHERE a.status = 'pending' AND a.next_attempt_at <= now()
                                      AND (a.claimed_until IS NULL OR a.claimed_until <= now())
                                    ORDER BY e.created_at, a.event_id, a.seq LIMIT $1""")
                            .execute(Tuple.of(limit))
                            .map(rows -> {
                                List<Claimed> due = new ArrayList<>();
                                for (Row r : rows) {
                                    due.add(new Claimed(r.getUUID(0), r.getUUID(1),
                                            WireEnum.parse(ActionType.class, r.getString(2), "type"), r.getString(3),
                                            r.getInteger(4)));
                                }
                                List<Claimed> chosen = Brake.select(running, due, Claimed::eventId, maxEvents);
                                return new Claim(chosen, chosen.size() < due.size() || due.size() >= limit);
                            });
                })
                .flatMap(claim -> claim.chosen().isEmpty() ? Uni.createFrom().item(claim)
                        : conn.preparedQuery("""
                                        UPDATE healing.repair_action
                                           SET claimed_until = now() + make_interval(secs => $2::float8)
                                         WHERE id = ANY($1)""")
                                .execute(Columns.of(claim.chosen()).uuid(Claimed::id).param((double) lease.toMillis() / 1000).tuple())
                                .replaceWith(claim)));
    }

    /**
     * Records a call's outcome and brings the event in line, in one transaction that first takes the
     * event's key lock (see EventRepository.EVENT_LOCK_KEY) and its row: two actions of one event
     * finishing together then cannot both miss the other's result, and a firing signal cannot slip a
     * second event in while this one ends.
     * A retryable outcome counts the attempt and schedules the next after {@code retryIn}, or fails the
     * action when it has used {@code maxAttempts}. Answers the action's new status.
     */
    public Uni<ActionStatus> complete(Claimed action, Outcome outcome, int maxAttempts, Duration retryIn) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock(" + EventRepository.EVENT_LOCK_KEY
                        + ") FROM healing.healing_event WHERE id = $1")
                .execute(Tuple.of(action.eventId()))
                .flatMap(x -> conn.preparedQuery("SELECT 1 FROM healing.healing_event WHERE id = $1 FOR UPDATE")
                        .execute(Tuple.of(action.eventId())))
                .flatMap(x -> conn.preparedQuery("""
                                UPDATE healing.repair_action
                                   SET attempts = attempts + 1,
                                       status = CASE WHEN $2::text = 'pending' AND attempts + 1 >= $6::int THEN 'failed' ELSE $2::text END,
                                       improvement = $3::float8, result = $4::text::jsonb,
                                       last_error = CASE WHEN $2::text = 'pending' AND attempts + 1 >= $6::int
                                                         THEN 'gave up after ' || (attempts + 1) || ' attempts: ' || $5::text
                                                         ELSE $5::text END,
                                       next_attempt_at = now() + make_interval(secs => $7::float8),
                                       claimed_until = NULL, updated_at = now()
                                 WHERE id = $1 AND status = 'pending'
                                RETURNING status""")
                        .execute(Tuple.tuple().addValue(action.id()).addValue(WireEnum.wireName(outcome.status()))
                                .addValue(outcome.improvement()).addValue(outcome.resultJson())
                                .addValue(truncate(outcome.error())).addValue(maxAttempts)
                                .addValue((double) retryIn.toMillis() / 1000)))
                .flatMap(rows -> {
                    // gone (its assistant was deleted) or already ended by another run: nothing to record
                    ActionStatus status = rows.size() == 0 ? null
                            : WireEnum.parse(ActionStatus.class, rows.iterator().next().getString(0), "status");
                    return events.updateFromActions(conn, List.of(action.eventId())).replaceWith(status);
                }));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
