package io.mythos.platform.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ColumnsTest {

    record Row(String name, Double value, int count, long version, boolean flag, UUID id, OffsetDateTime at) {
    }

    @Test
    void eachColumnIsATypedArrayInTheOrderAddedFollowedByExtraParameters() {
        UUID a = UUID.randomUUID();
        OffsetDateTime t = OffsetDateTime.of(2026, 11, 29, 0, 0, 0, 0, ZoneOffset.UTC);
        List<Row> rows = List.of(new Row("x", 1.5, 1, 10L, true, a, t), new Row("y", null, 2, 20L, false, null, null));

        Tuple tuple = Columns.of(rows).text(Row::name).float8(Row::value).int4(Row::count).int8(Row::version)
                .bool(Row::flag).uuid(Row::id).timestamptz(Row::at).param("scalar").tuple();

        assertEquals(8, tuple.size());
        assertArrayEquals(new String[] {"x", "y"}, (String[]) tuple.getValue(0));
        assertArrayEquals(new Double[] {1.5, null}, (Double[]) tuple.getValue(1));
        assertArrayEquals(new Integer[] {1, 2}, (Integer[]) tuple.getValue(2));
        assertArrayEquals(new Long[] {10L, 20L}, (Long[]) tuple.getValue(3));
        assertArrayEquals(new Boolean[] {true, false}, (Boolean[]) tuple.getValue(4));
        assertArrayEquals(new UUID[] {a, null}, (UUID[]) tuple.getValue(5));
        assertArrayEquals(new OffsetDateTime[] {t, null}, (OffsetDateTime[]) tuple.getValue(6));
        assertEquals("scalar", tuple.getValue(7));
    }

    @Test
    void noRowsGiveEmptyArrays() {
        Tuple tuple = Columns.of(List.<Row>of()).text(Row::name).float8(Row::value).tuple();
        assertEquals(0, ((String[]) tuple.getValue(0)).length);
        assertEquals(0, ((Double[]) tuple.getValue(1)).length);
    }
}
