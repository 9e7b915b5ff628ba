package io.mythos.platform.sql;

import io.vertx.mutiny.sqlclient.Tuple;
import java.lang.reflect.Array;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns rows into the typed column arrays of a batch statement, {@code INSERT … SELECT * FROM
 * unnest($1::text[], $2::float8[], …)}: one round trip and one statement whatever the number of rows.
 * The columns become the statement's parameters in the order they are added.
 *
 * <pre>{@code
 * Tuple params = Columns.of(signals)
 *         .text(SignalRow::nodeId)
 *         .float8(SignalRow::value)
 *         .timestamptz(SignalRow::observedAt)
 *         .tuple();
 * }</pre>
 */
public final class Columns<R> {

    private final List<? extends R> rows;
    private final Tuple tuple = Tuple.tuple();

    private Columns(List<? extends R> rows) {
        this.rows = rows;
    }

    public static <R> Columns<R> of(List<? extends R> rows) {
        return new Columns<>(rows);
    }

    /** A {@code text[]} or {@code varchar[]} column. */
    public Columns<R> text(Function<? super R, String> value) {
        return column(String.class, value);
    }

    /** A {@code float8[]} column; null stays SQL NULL. */
    public Columns<R> float8(Function<? super R, Double> value) {
        return column(Double.class, value);
    }

    /** An {@code int4[]} column. */
    public Columns<R> int4(Function<? super R, Integer> value) {
        return column(Integer.class, value);
    }

    /** An {@code int8[]} column. */
    public Columns<R> int8(Function<? super R, Long> value) {
        return column(Long.class, value);
    }

    /** A {@code bool[]} column. */
    public Columns<R> bool(Function<? super R, Boolean> value) {
        return column(Boolean.class, value);
    }

    /** A {@code uuid[]} column. */
    public Columns<R> uuid(Function<? super R, UUID> value) {
        return column(UUID.class, value);
    }

    /** A {@code timestamptz[]} column. */
    public Columns<R> timestamptz(Function<? super R, OffsetDateTime> value) {
        return column(OffsetDateTime.class, value);
    }

    /** A further parameter after the columns (a scalar shared by every row, or an array built elsewhere). */
    public Columns<R> param(Object value) {
        tuple.addValue(value);
        return this;
    }

    public Tuple tuple() {
        return tuple;
    }

    @SuppressWarnings("unchecked")
    private <V> Columns<R> column(Class<V> type, Function<? super R, V> value) {
        V[] column = (V[]) Array.newInstance(type, rows.size());
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(rows.get(i));
        }
        tuple.addValue(column);
        return this;
    }
}
