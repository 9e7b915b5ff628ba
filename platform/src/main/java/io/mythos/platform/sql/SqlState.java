package io.mythos.platform.sql;

import io.vertx.sqlclient.DatabaseException;

/** The PostgreSQL error codes that the services handle (a client answer or a retry) instead of answering 500. */
public final class SqlState {

    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    public static final String QUERY_CANCELED = "57014";
    /** PostgreSQL aborted one of two transactions that waited on each other; redoing it is safe. */
    public static final String DEADLOCK_DETECTED = "40P01";

    private SqlState() {
    }

    /** Whether {@code failure} is PostgreSQL's answer with that code. */
    public static boolean is(Throwable failure, String sqlState) {
        return failure instanceof DatabaseException db && sqlState.equals(db.getSqlState());
    }
}
