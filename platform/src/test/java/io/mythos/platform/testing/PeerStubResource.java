package io.mythos.platform.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a {@link PeerStub} and points the REST clients named in the {@code clients} init argument
 * (comma-separated config keys, e.g. {@code load-balancer,recovery-daemon}) at it; further init
 * arguments are passed on as configuration. Tests get the stub through {@link InjectPeerStub}.
 *
 * <pre>{@code @QuarkusTestResource(value = PeerStubResource.class, initArgs = @ResourceArg(name = "clients", value = "healing"))}</pre>
 */
public class PeerStubResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectPeerStub {
    }

    private final Map<String, String> config = new HashMap<>();
    private final List<String> clients = new ArrayList<>();
    private PeerStub stub;

    @Override
    public void init(Map<String, String> initArgs) {
        initArgs.forEach((name, value) -> {
            if (name.equals("clients")) {
                clients.addAll(List.of(value.split(",")));
            } else {
                config.put(name, value);
            }
        });
    }

    @Override
    public Map<String, String> start() {
        stub = new PeerStub();
        Map<String, String> overrides = new HashMap<>(config);
        for (String client : clients) {
            overrides.put("quarkus.rest-client." + client.trim() + ".url", stub.url());
        }
        return overrides;
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
