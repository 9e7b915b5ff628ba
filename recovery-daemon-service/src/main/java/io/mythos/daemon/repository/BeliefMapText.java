package io.mythos.daemon.repository;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import io.mythos.daemon.belief.BeliefNames;
import io.mythos.daemon.belief.BeliefTable;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A replica's belief map read from its {@code json} column, streamed straight into the map: no tree,
 * no data binding, and FastDoubleParser for the numbers. A cycle over 1,000 zones reads 5,000 of these
 * maps (~320,000 doubles), where a general JSON reader costs several times more.
 */
public final class BeliefMapText {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    // For a zone's table, whose names go through BeliefNames anyway: Jackson's name table degrades with
    // thousands of similar names (belief_0 .. belief_9999: a third of the parse in its collision chains;
    // measured about 30 % less CPU for a zone at the caps without it).
    private static final JsonFactory UNCANONICAL = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

    private BeliefMapText() {
    }

    /** {@code {"name": confidence, ...}} as a map in the text's order. */
    public static Map<String, Double> read(String text) {
        Map<String, Double> beliefs = new LinkedHashMap<>(128);
        parse(FACTORY, text, beliefs::put);
        return beliefs;
    }

    /**
     * The text as the next replica of {@code table}: no map and no boxed value on the way, for the zone
     * figures of a report or a read, which need no replica as a map.
     */
    public static void readInto(String text, BeliefTable.Builder table, boolean inConsensus) {
        table.startReplica(inConsensus);
        parse(UNCANONICAL, text, table::put);
    }

    /** The text as a row of ids interned in {@code names} (for a zone's cache of parsed replicas). */
    public static BeliefTable.Row readRow(String text, BeliefNames names) {
        BeliefTable.Builder row = new BeliefTable.Builder(names);
        readInto(text, row, true);
        return row.lastRow();
    }

    private interface Sink {
        void accept(String name, double value);
    }

    private static void parse(JsonFactory factory, String text, Sink sink) {
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("beliefs are not a JSON object: " + text);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                sink.accept(name, p.getDoubleValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
