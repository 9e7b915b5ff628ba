package io.mythos.daemon.repository;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
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

    private BeliefMapText() {
    }

    /** {@code {"name": confidence, ...}} as a map in the text's order. */
    public static Map<String, Double> read(String text) {
        Map<String, Double> beliefs = new LinkedHashMap<>(128);
        parse(text, beliefs::put);
        return beliefs;
    }

    /**
     * The text as the next replica of {@code table}: no map and no boxed value on the way, for the zone
     * figures of a report or a read, which need no replica as a map.
     */
    public static void readInto(String text, BeliefTable.Builder table, boolean inConsensus) {
        table.startReplica(inConsensus);
        parse(text, table::put);
    }

    private interface Sink {
        void accept(String name, double value);
    }

    private static void parse(String text, Sink sink) {
        try (JsonParser p = FACTORY.createParser(text)) {
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
