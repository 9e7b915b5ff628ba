package io.mythos.platform.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Deletes what each service's {@link RetentionPlan} says is old, so that the database stays bounded
 * under a steady load (DESIGN.md "Retention"), the same way in every service:
 * <ul>
 * <li>one instance at a time: a run holds a PostgreSQL session advisory lock named after the service on
 * one connection; an instance that cannot take it skips the run (another instance is purging);</li>
 * <li>small batches, each its own short transaction ({@code mythos.http.retention.batch-size} rows), and at
 * most {@code mythos.http.retention.max-batches} batches per purge and run, so that a backlog never holds
 * locks or a connection for long; the rest goes in the next run;</li>
 * <li>its own metrics: {@code mythos_retention_deleted_total{what}} (rows deleted or keys forgotten),
 * {@code mythos_retention_runs_total{outcome}} (purged, skipped, failed) and
 * {@code mythos_retention_last_success_seconds} (epoch seconds of the last complete run).</li>
 * </ul>
 * Scheduled by {@link RetentionJob}; tests call {@link #purge()} directly.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);

    private final Instance<RetentionPlan> plans;
    private final Pool pool;
    private final MeterRegistry registry;
    private final int batchSize;
    private final int maxBatches;
    private final Map<String, Counter> deleted = new ConcurrentHashMap<>();
    private final AtomicLong lastSuccess = new AtomicLong();
    private final Gauge lastSuccessGauge;
    Clock clock = Clock.systemUTC();

    public Retention(Instance<RetentionPlan> plans, Pool pool, MeterRegistry registry,
                     @ConfigProperty(name = "mythos.http.retention.batch-size") int batchSize,
                     @ConfigProperty(name = "mythos.http.retention.max-batches") int maxBatches) {
        this.plans = plans;
        this.pool = pool;
        this.registry = registry;
        this.batchSize = Math.max(1, batchSize);
        this.maxBatches = Math.max(1, maxBatches);
        this.lastSuccessGauge = Gauge.builder("mythos.retention.last.success.seconds", lastSuccess, AtomicLong::get)
                .description("When the last complete retention run ended (epoch seconds)").strongReference(true)
                .register(registry);
    }

    /** A registry can outlive this bean (tests restart the application in one JVM). */
    @PreDestroy
    void unregister() {
        registry.remove(lastSuccessGauge);
    }

    /**
     * One run of every plan: answers the rows purged per {@code what}, or an empty map when another
     * instance holds the lock.
     */
    public Uni<Map<String, Long>> purge() {
        List<RetentionPlan> all = plans.stream().toList();
        Uni<Map<String, Long>> run = Uni.createFrom().item(new LinkedHashMap<>());
        for (RetentionPlan plan : all) {
            run = run.flatMap(total -> purge(plan).map(counts -> {
                total.putAll(counts);
                return total;
            }));
        }
        return run;
    }

    private Uni<Map<String, Long>> purge(RetentionPlan plan) {
        long key = lockKey(plan.service());
        return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock($1)").execute(Tuple.of(key))
                .flatMap(rows -> {
                    if (!rows.iterator().next().getBoolean(0)) {
                        registry.counter("mythos.retention.runs", "outcome", "skipped").increment();
                        return Uni.createFrom().item(Map.<String, Long>of());
                    }
                    return purgeAll(conn, plan.purges())
                            .onTermination().call(() -> conn.preparedQuery("SELECT pg_advisory_unlock($1)")
                                    .execute(Tuple.of(key)).onFailure().recoverWithNull());
                }))
                .invoke(counts -> {
                    if (!counts.isEmpty() || plan.purges().isEmpty()) {
                        registry.counter("mythos.retention.runs", "outcome", "purged").increment();
                        lastSuccess.set(clock.instant().getEpochSecond());
                    }
                })
                .onFailure().invoke(e -> {
                    registry.counter("mythos.retention.runs", "outcome", "failed").increment();
                    LOG.warnf("retention run of %s failed, the next run goes on: %s", plan.service(), e.toString());
                });
    }

    private Uni<Map<String, Long>> purgeAll(SqlConnection conn, List<Purge> purges) {
        Map<String, Long> counts = new LinkedHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Purge p : purges) {
            chain = chain.flatMap(x -> {
                OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(p.keep());
                return batches(conn, p, cutoff, 0, 0L).invoke(n -> counts.merge(p.what(), n, Long::sum)).replaceWithVoid();
            });
        }
        return chain.replaceWith(counts);
    }

    private Uni<Long> batches(SqlConnection conn, Purge p, OffsetDateTime cutoff, int done, long sum) {
        if (done >= maxBatches) {
            return Uni.createFrom().item(sum);
        }
        return conn.begin().flatMap(tx -> conn.preparedQuery(p.batchSql()).execute(Tuple.of(cutoff, batchSize))
                        .flatMap(rows -> tx.commit().replaceWith(rows.rowCount()))
                        .onFailure().call(e -> tx.rollback().onFailure().recoverWithNull()))
                .flatMap(n -> {
                    if (n > 0) {
                        deleted(p.what()).increment(n);
                    }
                    return n < batchSize ? Uni.createFrom().item(sum + n) : batches(conn, p, cutoff, done + 1, sum + n);
                });
    }

    private Counter deleted(String what) {
        return deleted.computeIfAbsent(what, w -> Counter.builder("mythos.retention.deleted")
                .description("Rows deleted (or idempotency keys forgotten) by the retention job, by kind").tag("what", w)
                .register(registry));
    }

    /** A stable 64-bit advisory lock key per service (FNV-1a of "mythos-retention:" + service). */
    public static long lockKey(String service) {
        long h = 0xcbf29ce484222325L;
        for (byte b : ("mythos-retention:" + service).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
