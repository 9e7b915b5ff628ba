package io.mythos.platform.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;

/**
 * JSON text in and out of {@code jsonb} columns, with the service's own mapper, so that what is
 * stored reads exactly like what is answered on the wire (snake_case, ISO-8601 timestamps). A stored
 * document that no longer parses is a bug of ours, hence unchecked.
 */
@ApplicationScoped
public class JsonText {

    private final ObjectMapper mapper;
    // Jackson's Schubfach writer: documents with many doubles (belief maps) print several times faster.
    private final ObjectWriter writer;

    public JsonText(ObjectMapper mapper) {
        this.mapper = mapper;
        this.writer = mapper.writer().with(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
    }

    public String write(Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A {@code jsonb} column's value as a tree: the reactive client hands objects and arrays over as
     * Vert.x {@link JsonObject}/{@link JsonArray}, and scalars as Java values; null stays null.
     */
    public JsonNode tree(Object columnValue) {
        if (columnValue == null) {
            return null;
        }
        if (columnValue instanceof JsonObject || columnValue instanceof JsonArray) {
            try {
                return mapper.readTree(columnValue.toString());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return mapper.valueToTree(columnValue);
    }
}
