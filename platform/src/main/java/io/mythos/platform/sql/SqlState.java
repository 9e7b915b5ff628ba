package io.mythos.platform.sql;

import io.vertx.sqlclient.DatabaseException;

/** The PostgreSQL error codes that the services turn into client answers instead of 500s. */
public final class SqlState {

    public static final String FOREIGN_KEY_VIOLATION = "23503";
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    public static final String QUERY_CANCELED = "57014";

    private SqlState() {
    }

    /** Whether {@code failure} is PostgreSQL's answer with that code. */
    public static boolean is(Throwable failure, String sqlState) {
        return failure instanceof DatabaseException db && sqlState.equals(db.getSqlState());
    }
}
