package io.mythos.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three services as separate processes against one database, wired to each other by URL.
 * Each suite gets a database of its own ({@code mythos_system_*}, created afresh), on the server
 * {@link Postgres} chose, so it cannot collide with the module tests or with a configured system.
 */
final class MythosSystem implements AutoCloseable {

    static final String HEALING = "healing-service";
    static final String LOAD_BALANCER = "load-balancer-service";
    static final String DAEMON = "recovery-daemon-service";

    /**
     * Shorter retries than production, so that the scenarios take seconds with the same semantics: the
     * healing retrier polls every second (the scheduler's smallest period) with a 5 s backoff cap, and
     * 30 attempts before an action fails (as in production, about 2.5 min of retries: 10 attempts under
     * a 30 s cap); a claim whose caller died expires after 10 s (above the 7 s of connect and read
     * timeout). The daemon's own cycle is out of the way (once an hour), so that every recovery record
     * is the effect of a recover call; a test that needs cycles asks for them
     * ({@code POST /system/daemon/cycle}).
     */
    static final Map<String, String> FAST = Map.of(
            "MYTHOS_DAEMON_INTERVAL", "1h",
            "MYTHOS_HEALING_REPAIR_RETRY_INTERVAL", "1s",
            "MYTHOS_HEALING_REPAIR_BACKOFF_MAX", "5s",
            "MYTHOS_HEALING_REPAIR_MAX_ATTEMPTS", "30",
            "MYTHOS_HEALING_REPAIR_CLAIM_LEASE", "10s");

    /**
     * The JVM options bin/mythos starts each service with ({@code jvm_options} and {@code service_jvm_options} there,
     * Java 17): a small bounded heap, the Serial collector, small stacks, and C1 only except for the load balancer,
     * whose planner needs C2. For figures of memory over time; the suites keep their {@code -Xmx256m}.
     */
    static List<String> runScriptJvmOptions(String module) {
        List<String> opts = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx160m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError"));
        if (!LOAD_BALANCER.equals(module)) {
            opts.add("-XX:TieredStopAtLevel=1");
        }
        return opts;
    }

    final Postgres pg;
    final String db;
    private final Map<String, String> tuning;
    private final java.util.function.Function<String, List<String>> jvmOptions;
    private final Map<String, List<ServiceProcess>> instances = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();

    MythosSystem(Postgres pg, String db, Map<String, String> tuning, java.util.function.Function<String, List<String>> jvmOptions) {
        this.pg = pg;
        this.db = db;
        this.tuning = tuning;
        this.jvmOptions = jvmOptions;
        for (String m : List.of(HEALING, LOAD_BALANCER, DAEMON)) {
            ports.put(m, ServiceProcess.freePort());
            instances.put(m, new ArrayList<>());
        }
    }

    /** Creates the database afresh and starts one instance of each service. */
    static MythosSystem start(Postgres pg, String db, Map<String, String> tuning) {
        return start(pg, db, tuning, m -> List.of("-Xmx256m"));
    }

    /** The same, each service started with {@code jvmOptions.apply(module)}. */
    static MythosSystem start(Postgres pg, String db, Map<String, String> tuning,
                              java.util.function.Function<String, List<String>> jvmOptions) {
        pg.recreate(db);
        // every request of the suites carries a real token (the services refuse anything else)
        io.restassured.RestAssured.authentication = io.restassured.RestAssured.oauth2(SystemTokens.operator());
        MythosSystem sys = new MythosSystem(pg, db, tuning, jvmOptions);
        try {
            // Sequential: each runs its own Flyway migrations on its own schema, and a start on two
            // busy cores is faster alone.
            // -Dmythos.system.ready-seconds=…: a machine shared with other builds can take longer to start a JVM
            Duration ready = Duration.ofSeconds(Long.getLong("mythos.system.ready-seconds", 60));
            for (String m : List.of(LOAD_BALANCER, DAEMON, HEALING)) {
                sys.addInstance(m).awaitReady(ready);
            }
        } catch (RuntimeException e) {
            sys.close();
            throw e;
        }
        return sys;
    }

    /** Starts one more instance of a service (a first one on its fixed port, the others on free ports). */
    ServiceProcess addInstance(String module) {
        List<ServiceProcess> list = instances.get(module);
        int port = list.isEmpty() ? ports.get(module) : ServiceProcess.freePort();
        ServiceProcess p = new ServiceProcess(module, port, env(), logDir(), Integer.toString(list.size() + 1),
                jvmOptions.apply(module));
        list.add(p);
        p.start();
        return p;
    }

    ServiceProcess healing() {
        return instances.get(HEALING).get(0);
    }

    ServiceProcess loadBalancer() {
        return instances.get(LOAD_BALANCER).get(0);
    }

    ServiceProcess daemon() {
        return instances.get(DAEMON).get(0);
    }

    List<ServiceProcess> all(String module) {
        return instances.get(module);
    }

    /** Everything the services are configured with; ServiceProcess passes nothing else of ours on. */
    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(tuning);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", pg.reactiveUrl(db));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl(db));
        env.put("QUARKUS_DATASOURCE_USERNAME", pg.user);
        env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password);
        // the key pair as bin/mythos passes it: verification, and the service tokens of their calls to each other
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", SystemTokens.keys().resolve("publicKey.pem").toString());
        env.put("SMALLRYE_JWT_SIGN_KEY_LOCATION", SystemTokens.keys().resolve("privateKey.pem").toString());
        env.put("QUARKUS_REST_CLIENT_HEALING_URL", "http://localhost:" + ports.get(HEALING));
        env.put("QUARKUS_REST_CLIENT_LOAD_BALANCER_URL", "http://localhost:" + ports.get(LOAD_BALANCER));
        env.put("QUARKUS_REST_CLIENT_RECOVERY_DAEMON_URL", "http://localhost:" + ports.get(DAEMON));
        return env;
    }

    private Path logDir() {
        return Path.of("target", "system-logs", db).toAbsolutePath();
    }

    @Override
    public void close() {
        instances.values().forEach(list -> list.forEach(ServiceProcess::stop));
    }
}
