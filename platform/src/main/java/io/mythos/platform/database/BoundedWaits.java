package io.mythos.platform.database;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every database wait is bounded (DESIGN.md "Limits and isolation"), the same in every service: each
 * connection of the reactive pool starts with PostgreSQL's {@code statement_timeout} and
 * {@code lock_timeout}, and a request waits at most {@code acquire-timeout} for a pooled connection.
 * A wait past its bound fails the request, which {@link io.mythos.platform.web.ProblemMappers} answers
 * with 503 problem+json and {@code Retry-After}, never a hang. A statement may still set a shorter
 * bound of its own ({@code SET LOCAL lock_timeout}).
 */
@Singleton
public class BoundedWaits implements PgPoolCreator {

    private final Duration statementTimeout;
    private final Duration lockTimeout;
    private final Duration acquireTimeout;

    public BoundedWaits(@ConfigProperty(name = "mythos.http.database.statement-timeout") Duration statementTimeout,
                        @ConfigProperty(name = "mythos.http.database.lock-timeout") Duration lockTimeout,
                        @ConfigProperty(name = "mythos.http.database.acquire-timeout") Duration acquireTimeout) {
        this.statementTimeout = statementTimeout;
        this.lockTimeout = lockTimeout;
        this.acquireTimeout = acquireTimeout;
    }

    @Override
    @SuppressWarnings("deprecation") // PgPool.pool: the type Quarkus' recorder expects back from a creator
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.addProperty("statement_timeout", millis(statementTimeout) + "ms");
            options.addProperty("lock_timeout", millis(lockTimeout) + "ms");
        }
        input.poolOptions().setConnectionTimeout((int) millis(acquireTimeout)).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }

    /** At least 1 ms: 0 would mean "no bound" to PostgreSQL and to the pool. */
    private static long millis(Duration d) {
        return Math.max(1, d.toMillis());
    }
}
