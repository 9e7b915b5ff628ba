package io.mythos.healing.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** Starts the peer stub and points both REST clients at it; tests get it through {@link InjectPeerStub}. */
public class PeerStubResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectPeerStub {
    }

    private PeerStub stub;

    @Override
    public Map<String, String> start() {
        stub = new PeerStub();
        return Map.of("quarkus.rest-client.load-balancer.url", stub.url(),
                "quarkus.rest-client.recovery-daemon.url", stub.url());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(stub, new TestInjector.AnnotatedAndMatchesType(InjectPeerStub.class, PeerStub.class));
    }

    @Override
    public void stop() {
        if (stub != null) {
            stub.close();
        }
    }
}
