package io.mythos.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives every test application this JVM's {@link TestKeys}: the public key to verify tokens with, the
 * private key to mint its service tokens with. Registered for every {@code @QuarkusTest} of a module that
 * has the platform test-jar (META-INF/services), like {@link TestDatabaseResource}.
 */
public class TestJwtResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "mp.jwt.verify.publickey.location", TestKeys.publicKey().toString(),
                "smallrye.jwt.sign.key.location", TestKeys.privateKeyFile().toString(),
                "mp.jwt.verify.issuer", TestTokens.ISSUER);
    }

    @Override
    public void stop() {
    }
}
