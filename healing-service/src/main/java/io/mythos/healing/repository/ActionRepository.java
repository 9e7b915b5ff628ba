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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
        // the due actions and (once, as an init plan) the events with a call in flight, read in one statement after the
        // lock: a claim another instance committed while this one waited is counted
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(CLAIM_LOCK))
                .flatMap(x -> conn.preparedQuery("""
                                SELECT a.id, a.event_id, a.type, a.target, a.attempts,
                                       (SELECT array_agg(DISTINCT r.event_id) FROM healing.repair_action r
                                         WHERE r.status = 'pending' AND r.claimed_until > now()) AS running
                                FROM healing.repair_action a JOIN healing.healing_event e ON e.id = a.event_id
                                WHERE a.status = 'pending' AND a.next_attempt_at <= now()
                                  AND (a.claimed_until IS NULL OR a.claimed_until <= now())
                                ORDER BY e.created_at, a.event_id, a.seq LIMIT $1""")
                        .execute(Tuple.of(limit))
                        .map(rows -> {
                            Set<UUID> running = new HashSet<>();
                            List<Claimed> due = new ArrayList<>();
                            for (Row r : rows) {
                                if (due.isEmpty() && r.getArrayOfUUIDs(5) != null) { // the same on every row
                                    running.addAll(List.of(r.getArrayOfUUIDs(5)));
                                }
                                due.add(new Claimed(r.getUUID(0), r.getUUID(1),
                                        WireEnum.parse(ActionType.class, r.getString(2), "type"), r.getString(3),
                                        r.getInteger(4)));
                            }
                            List<Claimed> chosen = Brake.select(running, due, Claimed::eventId, maxEvents);
                            return new Claim(chosen, chosen.size() < due.size() || due.size() >= limit);
                        }))
                .flatMap(claim -> claim.chosen().isEmpty() ? Uni.createFrom().item(claim)
                        : conn.preparedQuery("""
                                        UPDATE healing.repair_action
                                           SET claimed_until = now() + make_interval(secs => $2::float8)
                                         WHERE id = ANY($1)""")
                                .execute(Columns.of(claim.chosen()).uuid(Claimed::id).param((double) lease.toMillis() / 1000).tuple())
                                .replaceWith(claim)));
    }

    /** A call's outcome for one claimed action, and when to try it again if the outcome says so. */
    public record Done(Claimed action, Outcome outcome, Duration retryIn) {
    }

    /** {@link #completeEvent} for one action; answers its new status (null: gone or already ended). */
    public Uni<ActionStatus> complete(Claimed action, Outcome outcome, int maxAttempts, Duration retryIn) {
        return completeEvent(action.eventId(), List.of(new Done(action, outcome, retryIn)), maxAttempts)
                .map(statuses -> statuses.get(action.id()));
    }

    /**
     * Records the outcomes of calls for actions of one event and brings the event in line, in one transaction of
     * three statements that first takes the event's key lock (see EventRepository.EVENT_LOCK_KEY) and its row: two
     * actions of one event finishing apart then cannot both miss the other's result, and a firing signal cannot slip
     * a second event in while this one ends. The repair service records an event's actions together once all of
     * their calls have ended (one transaction per event, not per action).
     * A retryable outcome counts the attempt and schedules the next after its {@code retryIn}, or fails the action
     * when it has used {@code maxAttempts}. Answers the new status of each action recorded (an action gone, its
     * assistant deleted, or already ended by another run is left out).
     */
    public Uni<Map<UUID, ActionStatus>> completeEvent(UUID eventId, List<Done> done, int maxAttempts) {
        // the key lock is taken in the scan, before LockRows takes the row: the same order as every other writer
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock(" + EventRepository.EVENT_LOCK_KEY
                        + ") FROM healing.healing_event WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(eventId))
                .flatMap(x -> conn.preparedQuery("""
                                UPDATE healing.repair_action a
                                   SET attempts = a.attempts + 1,
                                       status = CASE WHEN u.status = 'pending' AND a.attempts + 1 >= $7::int THEN 'failed' ELSE u.status END,
                                       improvement = u.improvement, result = u.result::jsonb,
                                       last_error = CASE WHEN u.status = 'pending' AND a.attempts + 1 >= $7::int
                                                         THEN 'gave up after ' || (a.attempts + 1) || ' attempts: ' || u.error
                                                         ELSE u.error END,
                                       next_attempt_at = now() + make_interval(secs => u.retry),
                                       claimed_until = NULL, updated_at = now()
                                  FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::text[], $5::text[], $6::float8[])
                                       AS u(id, status, improvement, result, error, retry)
                                 WHERE a.id = u.id AND a.event_id = $8 AND a.status = 'pending'
                                RETURNING a.id, a.status""")
                        .execute(Columns.of(done)
                                .uuid(d -> d.action().id())
                                .text(d -> WireEnum.wireName(d.outcome().status()))
                                .float8(d -> d.outcome().improvement())
                                .text(d -> d.outcome().resultJson())
                                .text(d -> truncate(d.outcome().error()))
                                .float8(d -> (double) d.retryIn().toMillis() / 1000)
                                .param(maxAttempts)
                                .param(eventId)
                                .tuple()))
                .flatMap(rows -> {
                    Map<UUID, ActionStatus> statuses = new HashMap<>();
                    for (Row r : rows) {
                        statuses.put(r.getUUID(0), WireEnum.parse(ActionStatus.class, r.getString(1), "status"));
                    }
                    return events.updateFromActions(conn, eventId).replaceWith(statuses);
                }));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }
}
