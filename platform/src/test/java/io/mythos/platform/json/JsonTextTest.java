package io.mythos.platform.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    record Point(String zoneName, double divergence) {
    }

    private final JsonText json = new JsonText(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));

    @Test
    void writesAndReadsWithTheServiceMapper() {
        String text = json.write(new Point("omens", 0.25));
        assertEquals("{\"zone_name\":\"omens\",\"divergence\":0.25}", text);
        assertEquals(new Point("omens", 0.25), json.read(text, Point.class));
        assertEquals(List.of(new Point("a", 1.0)), json.read("[{\"zone_name\":\"a\",\"divergence\":1}]", new TypeReference<List<Point>>() { }));
    }

    @Test
    void jsonbColumnValuesBecomeTrees() {
        assertNull(json.tree(null));
        assertEquals(2, json.tree(new JsonObject(Map.of("a", 1, "b", "x"))).size());
        assertEquals(3, json.tree(new JsonArray(List.of(1, 2, 3))).size());
        assertEquals(0.5, json.tree(0.5).doubleValue());
    }

    @Test
    void unreadableStoredTextIsABug() {
        assertThrows(UncheckedIOException.class, () -> json.read("{not json", Point.class));
    }
}
