package io.mythos.healing.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What an action keeps of its peer's answer (its {@code result}): a summary of bounded size, never the
 * whole answer. A plan lists every codex it moves and a recovery record every belief of every replica, so
 * whole answers made each healing event as large as the map (issue 12: a page of events holding whole-map
 * plans outgrew the heap). Kept: the ids, flags and figures a reader checks the action by (the plan's
 * {@code plan_id}, {@code applied} and {@code pressure_reduction}, the record's {@code id},
 * {@code network_zone} and {@code recovery_score}), and the sizes of the lists under {@code counts}.
 * The whole answer stays at the peer ({@code GET /system/load/plans/{plan_id}}, the zone's events).
 * Fields the answer lacks are left out, never made up.
 */
final class PeerAnswers {

    /** Longer strings are cut: the peers validate their ids to 150 characters, so only a broken peer sends more. */
    static final int MAX_TEXT = 300;

    /** A field kept as is (a scalar), or as the listed fields of an object. */
    private record Field(String name, List<String> inner) {
    }

    private static final List<Field> PLAN = List.of(f("plan_id"), f("scope", "group", "assistant_id"), f("dry_run"),
            f("applied"), f("before", "max_utilization", "mean_utilization", "imbalance"),
            f("after", "max_utilization", "mean_utilization", "imbalance"), f("pressure_reduction"), f("moved_pressure"),
            f("computed_in_ms"), f("created_at"));
    private static final List<String> PLAN_LISTS = List.of("redistribution", "decentralization_tasks", "ritual_spread");

    private static final List<Field> RECOVERY = List.of(f("id"), f("network_zone"), f("status"), f("divergence"),
            f("detected_failure", "zone_divergence", "threshold"), f("recovery_score"), f("created_at"));
    private static final List<String> RECOVERY_LISTS = List.of("memory_resync_attempts", "codex_realignment_vector");

    private PeerAnswers() {
    }

    private static Field f(String name, String... inner) {
        return new Field(name, List.of(inner));
    }

    /** The summary of a load balancer's plan (the shape of its {@code GET /system/load/plans} items). */
    static JsonNode plan(JsonNode answer) {
        return summary(answer, PLAN, PLAN_LISTS);
    }

    /** The summary of a recovery daemon's answer: a recovery record, or the converged zone's status. */
    static JsonNode recovery(JsonNode answer) {
        return summary(answer, RECOVERY, RECOVERY_LISTS);
    }

    private static JsonNode summary(JsonNode answer, List<Field> fields, List<String> lists) {
        if (answer == null || !answer.isObject()) {
            return null;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Field field : fields) {
            JsonNode value = answer.get(field.name());
            if (field.inner().isEmpty()) {
                putScalar(out, field.name(), value);
            } else if (value != null && value.isObject()) {
                ObjectNode inner = out.putObject(field.name());
                field.inner().forEach(name -> putScalar(inner, name, value.get(name)));
            }
        }
        ObjectNode counts = JsonNodeFactory.instance.objectNode();
        for (String list : lists) {
            JsonNode value = answer.get(list);
            if (value != null && value.isContainerNode()) {
                counts.put(list, value.size());
            }
        }
        if (!counts.isEmpty()) {
            out.set("counts", counts);
        }
        return out;
    }

    private static void putScalar(ObjectNode out, String name, JsonNode value) {
        if (value == null || !value.isValueNode() || value.isNull()) {
            return;
        }
        if (value.isTextual() && value.asText().length() > MAX_TEXT) {
            String text = value.asText();
            // never half a surrogate pair: PostgreSQL refuses a lone one in jsonb
            out.put(name, text.substring(0, Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT));
        } else {
            out.set(name, value);
        }
    }
}
