package io.mythos.platform.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/** The database a test application really reaches through its pool, and when that server started. */
record ObservedDatabase(String name, String serverStartedAt) {

    private static final String FIRST_SEEN = "mythos.test.first-seen-database";

    static ObservedDatabase through(Pool pool) {
        Row row = pool.query("SELECT current_database(), pg_postmaster_start_time()::text").execute()
                .await().indefinitely().iterator().next();
        return new ObservedDatabase(row.getString(0), row.getString(1));
    }

    /**
     * The first application of this JVM to look records what it saw (in a system property: each test
     * profile's application has class loaders of its own); every later one must reach the same database on
     * the same server, not a new one.
     */
    void assertSameAsEveryApplicationOfThisJvm() {
        String seen = toString();
        Object first = System.getProperties().putIfAbsent(FIRST_SEEN, seen);
        assertEquals(first == null ? seen : first, seen, "one server and one database per test JVM, across restarts");
    }
}
