package io.mythos.loadbalancer.repository;

import io.vertx.pgclient.PgException;

/** PostgreSQL error codes the repositories turn into client answers. */
final class Sql {

    static final String FOREIGN_KEY_VIOLATION = "23503";
    static final String UNIQUE_VIOLATION = "23505";

    private Sql() {
    }

    static boolean is(Throwable t, String sqlState) {
        return t instanceof PgException pg && sqlState.equals(pg.getSqlState());
    }
}
