package io.mythos.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Our enums travel as their lower-case names ({@code entropy_spike}); each constant carries the
 * matching {@code @JsonProperty}, so that Jackson and the OpenAPI document agree. This helper does the
 * same for query parameters and database columns.
 */
public final class WireEnum {

    private WireEnum() {
    }

    public static String wireName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Parses a query parameter; an unknown value is a 400 naming the field and the accepted values. */
    public static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        if (value == null) {
            return null;
        }
        for (E c : type.getEnumConstants()) {
            if (wireName(c).equals(value)) {
                return c;
            }
        }
        throw ProblemException.invalid(field, "must be one of " + names(type));
    }

    public static <E extends Enum<E>> List<String> names(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            names.add(wireName(c));
        }
        return names;
    }
}
