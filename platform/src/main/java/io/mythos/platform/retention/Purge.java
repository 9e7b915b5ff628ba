package io.mythos.platform.retention;

import java.time.Duration;
import java.util.Objects;

/**
 * One kind of old row a service deletes: {@code what} names it in the configuration
 * ({@code mythos.<service>.retention.<what>}) and in the metrics; rows older than {@code keep} go.
 * <p>
 * {@code batchSql} deletes at most one batch and answers with the number of rows it deleted: {@code $1}
 * is the cutoff (a {@code timestamptz}: rows strictly older go), {@code $2} the batch size. Use
 * {@link #olderThan} for the usual one-table case; write the statement yourself when rows of several
 * tables go together (a data-modifying {@code WITH}).
 */
public record Purge(String what, Duration keep, String batchSql) {

    public Purge {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(batchSql, "batchSql");
        if (keep == null || keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("retention of " + what + " must be a positive duration, got " + keep);
        }
    }

    /**
     * Deletes rows of {@code table} whose {@code column} is older than the cutoff and that match
     * {@code condition} (SQL, or {@code null} for all), one batch at a time.
     */
    public static Purge olderThan(String what, Duration keep, String table, String column, String condition) {
        String where = column + " < $1" + (condition == null ? "" : " AND (" + condition + ")");
        return new Purge(what, keep, "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table
                + " WHERE " + where + " LIMIT $2))");
    }
}
