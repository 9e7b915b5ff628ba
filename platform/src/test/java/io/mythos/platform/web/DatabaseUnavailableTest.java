package io.mythos.platform.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * What counts as "the database is unavailable" (a 503 with Retry-After, never a 500): every way a
 * PostgreSQL restart shows up to a request, seen in PostgresRestartIT, and nothing else.
 */
class DatabaseUnavailableTest {

    @Test
    void everyShapeOfALostDatabaseIsUnavailable() {
        assertTrue(ProblemMappers.databaseUnavailable(new CompletionException(new ConnectException("Connection refused"))));
        assertTrue(ProblemMappers.databaseUnavailable(ClosedConnectionException.INSTANCE));
        assertTrue(ProblemMappers.databaseUnavailable(new PgException("the database system is shutting down", "FATAL", "57P03", null)));
        // a pooled connection closed between its acquisition and its use (PostgresRestartIT saw a 500 for it)
        assertTrue(ProblemMappers.databaseUnavailable(
                new CompletionException(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"))));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(ProblemMappers.databaseUnavailable(new IllegalStateException("boom")));
        assertFalse(ProblemMappers.databaseUnavailable(new PgException("duplicate key", "ERROR", "23505", null)));
    }
}
