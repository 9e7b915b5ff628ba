package io.mythos.healing.repository;

import io.mythos.common.healing.Rule;
import io.mythos.common.healing.SignalKind;
import io.mythos.healing.engine.FiringRule;
import io.mythos.platform.web.WireEnum;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The persisted rules, one per signal kind. */
@ApplicationScoped
public class RuleRepository {

    private static final String COLUMNS = "kind, threshold, window_seconds, min_occurrences, cooldown_seconds, set_by_api, updated_at, verify_seconds, max_ineffective";

    private final Pool pool;

    public RuleRepository(Pool pool) {
        this.pool = pool;
    }

    /** Writes a rule from application.properties, unless the API has changed that rule since. */
    public Uni<Void> seed(FiringRule rule) {
        return pool.preparedQuery("""
                        INSERT INTO healing.rule AS r (kind, threshold, window_seconds, min_occurrences, cooldown_seconds,
                                                       verify_seconds, max_ineffective)
                        VALUES ($1, $2, $3, $4, $5, $6, $7)
                        ON CONFLICT (kind) DO UPDATE
                           SET threshold = EXCLUDED.threshold, window_seconds = EXCLUDED.window_seconds,
                               min_occurrences = EXCLUDED.min_occurrences, cooldown_seconds = EXCLUDED.cooldown_seconds,
                               verify_seconds = EXCLUDED.verify_seconds, max_ineffective = EXCLUDED.max_ineffective,
                               updated_at = now()
                         WHERE NOT r.set_by_api
                           AND (r.threshold, r.window_seconds, r.min_occurrences, r.cooldown_seconds, r.verify_seconds,
                                r.max_ineffective)
                               IS DISTINCT FROM (EXCLUDED.threshold, EXCLUDED.window_seconds,
                                                 EXCLUDED.min_occurrences, EXCLUDED.cooldown_seconds,
                                                 EXCLUDED.verify_seconds, EXCLUDED.max_ineffective)""")
                .execute(args(rule)).replaceWithVoid();
    }

    public Uni<Rule> put(FiringRule rule) {
        return put(rule, null);
    }

    /** Stores the rule and, in the same statement, its audit entry (by {@code subject}). */
    public Uni<Rule> put(FiringRule rule, String subject) {
        return pool.preparedQuery("""
                        WITH r AS (
                            INSERT INTO healing.rule (kind, threshold, window_seconds, min_occurrences, cooldown_seconds,
                                                      verify_seconds, max_ineffective, set_by_api)
                            VALUES ($1, $2, $3, $4, $5, $6, $7, true)
                            ON CONFLICT (kind) DO UPDATE
                               SET threshold = EXCLUDED.threshold, window_seconds = EXCLUDED.window_seconds,
                                   min_occurrences = EXCLUDED.min_occurrences, cooldown_seconds = EXCLUDED.cooldown_seconds,
                                   verify_seconds = EXCLUDED.verify_seconds, max_ineffective = EXCLUDED.max_ineffective,
                                   set_by_api = true, updated_at = now()
                            RETURNING\s""" + COLUMNS + """
                        ), a AS (
                            INSERT INTO healing.audit (subject, action, target, detail)
                            SELECT $8, 'rule.put', kind, jsonb_build_object('threshold', threshold, 'window_seconds', window_seconds,
                                       'min_occurrences', min_occurrences, 'cooldown_seconds', cooldown_seconds,
                                       'verify_seconds', verify_seconds, 'max_ineffective', max_ineffective)
                            FROM r
                        )
                        SELECT * FROM r""")
                .execute(args(rule).addValue(subject))
                .map(rows -> view(rows.iterator().next()));
    }

    public Uni<List<Rule>> list() {
        return pool.query("SELECT " + COLUMNS + " FROM healing.rule ORDER BY kind").execute()
                .map(rows -> {
                    List<Rule> rules = new ArrayList<>();
                    rows.forEach(r -> rules.add(view(r)));
                    return rules;
                });
    }

    /** The rules as the engine applies them. */
    public Uni<Map<SignalKind, FiringRule>> firingRules() {
        return firingRules(pool);
    }

    /** The rules as the engine applies them, read by {@code client} (inside the ingestion transaction). */
    public Uni<Map<SignalKind, FiringRule>> firingRules(SqlClient client) {
        return client.query("SELECT " + COLUMNS + " FROM healing.rule").execute()
                .map(rows -> {
                    Map<SignalKind, FiringRule> rules = new EnumMap<>(SignalKind.class);
                    for (Row r : rows) {
                        Rule rule = view(r);
                        rules.put(rule.kind(), new FiringRule(rule.kind(), rule.threshold(), rule.windowSeconds(),
                                rule.minOccurrences(), rule.cooldownSeconds(), rule.verifySeconds(), rule.maxIneffective()));
                    }
                    return rules;
                });
    }

    private static Tuple args(FiringRule rule) {
        return Tuple.tuple().addValue(WireEnum.wireName(rule.kind())).addValue(rule.threshold())
                .addValue(rule.windowSeconds()).addValue(rule.minOccurrences()).addValue(rule.cooldownSeconds())
                .addValue(rule.verifySeconds()).addValue(rule.maxIneffective());
    }

    private static Rule view(Row r) {
        return new Rule(WireEnum.parse(SignalKind.class, r.getString("kind"), "kind"), r.getDouble("threshold"),
                r.getInteger("window_seconds"), r.getInteger("min_occurrences"), r.getInteger("cooldown_seconds"),
                r.getBoolean("set_by_api") ? "api" : "config", r.getOffsetDateTime("updated_at"),
                r.getInteger("verify_seconds"), r.getInteger("max_ineffective"));
    }
}
