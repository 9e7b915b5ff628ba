package io.mythos.platform.security;

import io.mythos.platform.testing.AccessContract;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.Set;

/**
 * The shared access contract on the probe application: the role hierarchy (a write role includes viewer,
 * operator everything), 401/403 problems and open platform routes, without any service.
 */
@QuarkusTest
class PlatformAccessTest extends AccessContract {

    @Override
    protected Map<String, Set<String>> allowed() {
        return Map.of(
                "POST /test/probe", Set.of(Roles.REPORTER, Roles.OPERATOR),
                "GET /test/probe/items/{id}", ANYONE,
                "GET /test/probe/ok", ANYONE,
                "GET /test/probe/bug", ANYONE,
                "GET /test/probe/database-down", ANYONE,
                "POST /test/waits/lock/{key}", Set.of(Roles.REPORTER, Roles.OPERATOR),
                "POST /test/waits/sleep/{seconds}", Set.of(Roles.REPORTER, Roles.OPERATOR));
    }
}
