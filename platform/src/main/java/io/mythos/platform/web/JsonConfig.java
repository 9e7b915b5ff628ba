package io.mythos.platform.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.OffsetDateTime;

/**
 * One JSON dialect for every service and REST client: snake_case names, ISO-8601 timestamps, and
 * strict types (a string is not a number, 1.5 is not an integer, 1e999 is not a number at all, a
 * string holds no NUL character), so
 * that a client's mistake is a 400 instead of a silently coerced value.
 */
@Singleton
public class JsonConfig implements ObjectMapperCustomizer {

    static final String NOT_FINITE = "must be a finite number";
    /** PostgreSQL cannot store U+0000 in text or jsonb: refuse it at the door rather than fail later. */
    static final String NO_NUL = "must not contain the NUL character (U+0000)";

    /** Last, so that our deserializers take precedence over the modules Quarkus registers (JavaTimeModule). */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        SimpleModule finite = new SimpleModule("finite-doubles");
        finite.addDeserializer(Double.class, new FiniteDouble(Double.class));
        finite.addDeserializer(double.class, new FiniteDouble(double.class));
        finite.addDeserializer(String.class, new NoNulString());
        finite.addDeserializer(OffsetDateTime.class, new IsoTimestamp());
        finite.addKeyDeserializer(String.class, new NoNulKey());
        mapper.registerModule(finite);
    }

    static final class NoNulString extends StdScalarDeserializer<String> {

        NoNulString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = StringDeserializer.instance.deserialize(p, ctxt);
            if (s != null && s.indexOf('\u0000') >= 0) {
                throw InvalidFormatException.from(p, NO_NUL, s, String.class);
            }
            return s;
        }
    }

    /** Timestamps are ISO-8601 strings in the contract; a bare number (epoch seconds?) is a wrong type. */
    static final class IsoTimestamp extends StdScalarDeserializer<OffsetDateTime> {

        IsoTimestamp() {
            super(OffsetDateTime.class);
        }

        @Override
        public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (OffsetDateTime) ctxt.handleUnexpectedToken(OffsetDateTime.class, p);
            }
            return InstantDeserializer.OFFSET_DATE_TIME.deserialize(p, ctxt);
        }
    }

    static final class NoNulKey extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (key.indexOf('\u0000') >= 0) {
                throw InvalidFormatException.from(ctxt.getParser(), NO_NUL, key, String.class);
            }
            return key;
        }
    }

    /** Rejects numbers that overflow to Infinity (1e999); NaN is already a parse error. */
    static final class FiniteDouble extends StdScalarDeserializer<Double> {

        FiniteDouble(Class<Double> type) {
            super(type);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (!Double.isFinite(d)) {
                    throw InvalidFormatException.from(p, NOT_FINITE, p.getText(), Double.class);
                }
                return d;
            }
            return (Double) ctxt.handleUnexpectedToken(Double.class, p);
        }
    }
}
