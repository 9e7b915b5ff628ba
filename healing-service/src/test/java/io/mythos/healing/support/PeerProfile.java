package io.mythos.healing.support;

import io.mythos.platform.testing.PeerStubResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Peers stubbed over HTTP, the retrier on and every delay shrunk, so that retries, backoff and
 * timeouts take seconds: retrier every second (the scheduler's finest period), backoff 100 ms doubling up to 400 ms, read timeout 1 s.
 */
public class PeerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.scheduler.enabled", "true");
        config.put("mythos.healing.repair.retry-interval", "1s");
        config.put("mythos.healing.repair.backoff-base", "100ms");
        config.put("mythos.healing.repair.backoff-max", "400ms");
        config.put("mythos.healing.repair.claim-lease", "5s");
        config.put("mythos.healing.repair.max-concurrent-repairs", "200");
        config.put("mythos.healing.repair.claim-batch", "500");
        config.put("mythos.healing.metrics-interval", "1s");
        config.put("quarkus.rest-client.connect-timeout", "500");
        config.put("quarkus.rest-client.read-timeout", "1000");
        config.putAll(extra());
        return config;
    }

    protected Map<String, String> extra() {
        return Map.of();
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PeerStubResource.class, Map.of("clients", "load-balancer,recovery-daemon")));
    }

    /** The same, in dry-run mode: no peer may be called; and one rule changed in the configuration. */
    public static class DryRun extends PeerProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of("mythos.healing.repair.dry-run", "true", "mythos.healing.rules.symbolic_error.cooldown-seconds", "45");
        }
    }
}
