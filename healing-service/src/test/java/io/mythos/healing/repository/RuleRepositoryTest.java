package io.mythos.healing.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mythos.common.healing.Rule;
import io.mythos.common.healing.SignalKind;
import io.mythos.healing.engine.FiringRule;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A rule set through the API survives what application.properties says at the next start-up. */
@QuarkusTest
class RuleRepositoryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final FiringRule CONFIG = new FiringRule(SignalKind.RITUAL_FAILURE, null, 60, 3, 30);

    @Inject
    RuleRepository rules;
    @Inject
    Pool pool;

    @Test
    void seedingKeepsARuleChangedByTheApiAndUpdatesOthers() {
        try {
            rules.put(new FiringRule(SignalKind.RITUAL_FAILURE, 0.3, 90, 4, 15)).await().atMost(WAIT);
            rules.seed(CONFIG).await().atMost(WAIT); // what a restart does
            Rule kept = ritualFailure();
            assertEquals("api", kept.source());
            assertEquals(4, kept.minOccurrences());
            assertEquals(90, kept.windowSeconds());

            pool.query("UPDATE healing.rule SET set_by_api = false WHERE kind = 'ritual_failure'").execute().await().atMost(WAIT);
            rules.seed(CONFIG).await().atMost(WAIT);
            Rule seeded = ritualFailure();
            assertEquals("config", seeded.source());
            assertEquals(3, seeded.minOccurrences());
            assertNull(seeded.threshold());
        } finally {
            pool.query("UPDATE healing.rule SET set_by_api = false WHERE kind = 'ritual_failure'").execute().await().atMost(WAIT);
            rules.seed(CONFIG).await().atMost(WAIT);
        }
    }

    private Rule ritualFailure() {
        return rules.list().await().atMost(WAIT).stream().filter(r -> r.kind() == SignalKind.RITUAL_FAILURE).findFirst()
                .orElseThrow();
    }
}
