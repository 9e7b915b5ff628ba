package io.mythos.loadbalancer.repository;

import io.mythos.common.load.RebalancePlan.DecentralizationTask;
import io.mythos.common.load.Task;
import io.mythos.common.load.TaskAction;
import io.mythos.common.load.TaskStatus;
import io.mythos.loadbalancer.planner.CodexTask;
import io.mythos.platform.sql.Columns;
import io.mythos.platform.web.ProblemException;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The decentralization queue. Exclusivity lives in PostgreSQL: a claim is one {@code UPDATE} of the
 * row that {@code FOR UPDATE SKIP LOCKED} picked, so concurrent claims (from any number of service
 * instances) never hand out one task twice; a unique partial index keeps one open task per codex.
 */
@ApplicationScoped
public class TaskRepository {

    private static final String TASKS = "loadbalancer.decentralization_task";
    /** A pending task, or a claimed one whose lease ran out (the sweeper may not have run yet). */
    private static final String CLAIM = """
            UPDATE %1$s SET status = 'claimed', worker = $1, lease_expires_at = now() + make_interval(secs => $2),
                   attempts = attempts + 1, updated_at = now()
             WHERE task_id = (SELECT task_id FROM %1$s
                               WHERE status = 'pending' OR (status = 'claimed' AND lease_expires_at < now())
                               ORDER BY created_at, task_id
                               FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING *""".formatted(TASKS);

    private final Pool pool;

    public TaskRepository(Pool pool) {
        this.pool = pool;
    }

    /** Queues the plan's tasks (a codex that already has an open task keeps it) and answers the open task of each. */
    public Uni<List<DecentralizationTask>> enqueue(SqlConnection conn, UUID planId, List<CodexTask> planned) {
        if (planned.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple insert = Columns.of(planned).uuid(t -> UUID.randomUUID()).text(CodexTask::codexId)
                .text(t -> WireEnum.wireName(t.action())).int4(CodexTask::shards).param(planId).tuple();
        return conn.preparedQuery("""
                        INSERT INTO %s (task_id, plan_id, codex_id, action, shards, status)
                        SELECT t.id, $5, t.codex_id, t.action, t.shards, 'pending'
                          FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::int[]) AS t(id, codex_id, action, shards)
                        ON CONFLICT (codex_id) WHERE status IN ('pending', 'claimed') DO NOTHING""".formatted(TASKS))
                .execute(insert)
                .chain(() -> conn.preparedQuery("""
                                SELECT task_id, codex_id, action, shards, status FROM %s
                                 WHERE codex_id = ANY($1) AND status IN ('pending', 'claimed') ORDER BY codex_id""".formatted(TASKS))
                        .execute(Columns.of(planned).text(CodexTask::codexId).tuple()))
                .map(rows -> {
                    List<DecentralizationTask> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new DecentralizationTask(r.getUUID("task_id"), r.getString("codex_id"),
                            action(r), r.getInteger("shards"), status(r))));
                    return out;
                });
    }

    public Uni<List<Task>> page(TaskStatus status, int limit, int offset) {
        return pool.preparedQuery("SELECT * FROM " + TASKS + " WHERE ($1::varchar IS NULL OR status = $1)"
                        + " ORDER BY created_at, task_id LIMIT $2 OFFSET $3")
                .execute(Tuple.of(wire(status), limit, offset)).map(rows -> {
                    List<Task> out = new ArrayList<>();
                    rows.forEach(r -> out.add(task(r)));
                    return out;
                });
    }

    public Uni<Long> count(TaskStatus status) {
        return pool.preparedQuery("SELECT count(*) FROM " + TASKS + " WHERE ($1::varchar IS NULL OR status = $1)")
                .execute(Tuple.of(wire(status))).map(rows -> rows.iterator().next().getLong(0));
    }

    /** The oldest claimable task, now claimed by {@code worker}; null when there is none. */
    public Uni<Task> claim(String worker, Duration lease) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(worker, (double) lease.toMillis() / 1000))
                .map(rows -> rows.size() == 0 ? null : task(rows.iterator().next()));
    }

    /**
     * Ends a claimed task as done or failed. 404 for an unknown task; 409 when it is not claimed, or is
     * claimed by another worker than the one named.
     */
    public Uni<Task> finish(UUID taskId, TaskStatus outcome, String worker, String reason) {
        return pool.preparedQuery("""
                        UPDATE %s SET status = $2, reason = $4, lease_expires_at = NULL, updated_at = now()
                         WHERE task_id = $1 AND status = 'claimed' AND ($3::varchar IS NULL OR worker = $3)
                        RETURNING *""".formatted(TASKS))
                .execute(Tuple.of(taskId, wire(outcome), worker, reason))
                .chain(rows -> {
                    if (rows.size() == 1) {
                        return Uni.createFrom().item(task(rows.iterator().next()));
                    }
                    return pool.preparedQuery("SELECT status, worker FROM " + TASKS + " WHERE task_id = $1").execute(Tuple.of(taskId))
                            .map(found -> {
                                if (found.size() == 0) {
                                    throw ProblemException.notFound("No task " + taskId);
                                }
                                Row r = found.iterator().next();
                                throw ProblemException.conflict("Task " + taskId + " is " + r.getString("status")
                                        + (r.getString("worker") != null ? " (worker " + r.getString("worker") + ")" : "")
                                        + "; only a task claimed by this worker can be completed or failed");
                            });
                });
    }

    /** Returns claimed tasks whose lease ran out to pending; answers how many. */
    public Uni<Integer> expireLeases() {
        return pool.query("""
                        UPDATE %s SET status = 'pending', worker = NULL, lease_expires_at = NULL, updated_at = now()
                         WHERE status = 'claimed' AND lease_expires_at < now()""".formatted(TASKS))
                .execute().map(rows -> rows.rowCount());
    }

    private static String wire(TaskStatus s) {
        return s == null ? null : WireEnum.wireName(s);
    }

    private static TaskAction action(Row r) {
        return WireEnum.parse(TaskAction.class, r.getString("action"), "action");
    }

    private static TaskStatus status(Row r) {
        return WireEnum.parse(TaskStatus.class, r.getString("status"), "status");
    }

    private static Task task(Row r) {
        return new Task(r.getUUID("task_id"), r.getUUID("plan_id"), r.getString("codex_id"), action(r),
                r.getInteger("shards"), status(r), r.getString("worker"), r.getOffsetDateTime("lease_expires_at"),
                r.getInteger("attempts"), r.getString("reason"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("updated_at"));
    }
}
