package io.mythos.daemon.repository;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON columns in and out, with the service's own mapper (snake_case, as on the wire). */
@ApplicationScoped
public class Json {

    // Jackson's Schubfach writer and FastDoubleParser: a cycle prints and parses ~600,000 doubles.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private final ObjectMapper mapper;
    private final ObjectWriter writer;

    public Json(ObjectMapper mapper) {
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

    /** A belief map from its JSON text, streamed straight into the map (no intermediate tree). */
    public static Map<String, Double> beliefs(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("beliefs are not a JSON object: " + json);
            }
            Map<String, Double> beliefs = new LinkedHashMap<>(128);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                beliefs.put(name, p.getDoubleValue());
            }
            return beliefs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
