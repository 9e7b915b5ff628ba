package io.mythos.system;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The Kubernetes manifests that quarkus-kubernetes generates at package time
 * ({@code <service>/target/kubernetes/kubernetes.yml}), read with the fabric8 model, so that they cannot rot:
 * two replicas, the ports, the three probes on the health routes, resources the JVM fits, the ConfigMap, the
 * Secrets by their agreed names and keys, and peer URLs that reach the peers' Services. Also the templates of
 * {@code deploy/kubernetes} that the Deployments reference, and (where kubectl is installed) the kustomization
 * that assembles them. Runs in system-tests, after the reactor has packaged the three services.
 */
class KubernetesManifestsTest {

    private static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path DEPLOY = REPO_ROOT.resolve("deploy/kubernetes");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final long MIB = 1024L * 1024L;

    private static final Map<String, Integer> PORTS = Map.of(
            "healing-service", 8081, "load-balancer-service", 8082, "recovery-daemon-service", 8083);
    /** The peers each service calls (the same as the compose file: ComposeFileTest). */
    private static final Map<String, Map<String, String>> PEERS = Map.of(
            "healing-service", Map.of("QUARKUS_REST_CLIENT_LOAD_BALANCER_URL", "load-balancer-service",
                    "QUARKUS_REST_CLIENT_RECOVERY_DAEMON_URL", "recovery-daemon-service"),
            "load-balancer-service", Map.of(),
            "recovery-daemon-service", Map.of("QUARKUS_REST_CLIENT_HEALING_URL", "healing-service"));

    @Test
    void eachServiceHasTwoReplicasAServiceOnItsPortAndProbesOnTheHealthRoutes() {
        List<Executable> checks = new ArrayList<>();
        PORTS.forEach((service, port) -> checks.add(() -> {
            List<HasMetadata> resources = generated(service);
            assertEquals(Set.of("Deployment/" + service, "Service/" + service),
                    resources.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).collect(Collectors.toSet()),
                    service + ": exactly a Deployment and a Service (no Job, ServiceMonitor or RBAC the cluster may lack)");
            Deployment deployment = one(resources, Deployment.class);
            Service svc = one(resources, Service.class);
            assertEquals(2, deployment.getSpec().getReplicas(), service + " replicas");
            Container container = container(deployment);
            assertEquals(List.of(port), container.getPorts().stream().map(p -> p.getContainerPort()).toList(), service + " container port");
            assertEquals("http", container.getPorts().get(0).getName());

            ServicePort servicePort = svc.getSpec().getPorts().get(0);
            assertEquals(1, svc.getSpec().getPorts().size());
            assertEquals(port, servicePort.getTargetPort().getIntVal(), service + ": the Service must reach the container port");
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            assertTrue(podLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()),
                    service + ": the Service selects no pod of the Deployment");
            assertEquals(deployment.getSpec().getSelector().getMatchLabels(), Map.of("app.kubernetes.io/name", service),
                    service + ": the selector must not carry the version (a Deployment's selector is immutable)");

            probe(service, "readiness", container.getReadinessProbe(), "/q/health/ready", port);
            probe(service, "liveness", container.getLivenessProbe(), "/q/health/live", port);
            probe(service, "startup", container.getStartupProbe(), "/q/health/started", port);
            Probe startup = container.getStartupProbe();
            int startupSeconds = startup.getInitialDelaySeconds() + startup.getPeriodSeconds() * startup.getFailureThreshold();
            assertTrue(startupSeconds >= 60, service + ": a slow first start (busy node, migrations) must get a minute, not "
                    + startupSeconds + " s");
        }));
        assertAll(checks);
    }

    @Test
    void resourcesAreBoundedAndTheJvmFitsItsMemoryLimit() {
        List<Executable> checks = new ArrayList<>();
        PORTS.keySet().forEach(service -> checks.add(() -> {
            Container container = container(one(generated(service), Deployment.class));
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            for (String resource : List.of("cpu", "memory")) {
                assertNotNull(requests.get(resource), service + ": no " + resource + " request");
                assertNotNull(limits.get(resource), service + ": no " + resource + " limit");
                assertTrue(requests.get(resource).getNumericalAmount().compareTo(limits.get(resource).getNumericalAmount()) <= 0,
                        service + ": " + resource + " request above its limit");
            }
            long limit = limits.get("memory").getNumericalAmount().longValue();
            long request = requests.get("memory").getNumericalAmount().longValue();
            String javaOptions = env(container).get("JAVA_OPTS_APPEND");
            assertNotNull(javaOptions, service + ": no JAVA_OPTS_APPEND (the measured JVM options)");
            long heap = maxHeap(javaOptions, limit);
            // Beside the heap: metaspace, code, threads, direct buffers, the mapped AOT cache (docs/BENCHMARKS.md).
            assertTrue(heap + 160 * MIB <= limit, service + ": heap " + heap / MIB + " MiB leaves under 160 MiB of the "
                    + limit / MIB + " MiB limit to the rest of the JVM (" + javaOptions + ")");
            // The scheduler places a pod by its request: it must cover what a service holds once it has served load.
            assertTrue(request >= 256 * MIB, service + ": memory request " + request / MIB + " MiB is below a loaded service's RSS");
            assertTrue(javaOptions.contains("-XX:+ExitOnOutOfMemoryError"), service + ": a JVM out of memory must exit and be restarted");
            // C1 only halves the start where the work is I/O; the load balancer's planner needs C2 (docs/BENCHMARKS.md)
            assertEquals(!service.equals("load-balancer-service"), javaOptions.contains("-XX:TieredStopAtLevel=1"),
                    service + ": C1 only for the healing service and the daemon, not the load balancer: " + javaOptions);
        }));
        assertAll(checks);
    }

    @Test
    void configurationComesFromTheConfigMapAndCredentialsAndKeysFromTheAgreedSecrets() {
        List<Executable> checks = new ArrayList<>();
        PORTS.keySet().forEach(service -> checks.add(() -> {
            Deployment deployment = one(generated(service), Deployment.class);
            Container container = container(deployment);
            assertEquals(List.of("mythos-config"), container.getEnvFrom().stream()
                    .map(e -> e.getConfigMapRef() == null ? null : e.getConfigMapRef().getName()).toList(), service + " envFrom");
            Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
            for (String[] credential : new String[][] {{"QUARKUS_DATASOURCE_USERNAME", "username"}, {"QUARKUS_DATASOURCE_PASSWORD", "password"}}) {
                EnvVar variable = env.get(credential[0]);
                assertNotNull(variable, service + ": no " + credential[0]);
                assertNotNull(variable.getValueFrom(), service + ": " + credential[0] + " must come from a Secret, not a value");
                assertEquals(service + "-db", variable.getValueFrom().getSecretKeyRef().getName(), service + " " + credential[0]);
                assertEquals(credential[1], variable.getValueFrom().getSecretKeyRef().getKey(), service + " " + credential[0]);
            }
            assertTrue(env.keySet().stream().noneMatch(name -> name.startsWith("QUARKUS_DATASOURCE_") && name.endsWith("_URL")),
                    service + ": the database URLs belong in the ConfigMap, not in the generated manifest");

            Volume jwt = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getSecret() != null && "mythos-jwt".equals(v.getSecret().getSecretName())).findFirst()
                    .orElseThrow(() -> new AssertionError(service + ": no volume of the Secret mythos-jwt"));
            VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getName().equals(jwt.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(service + ": the mythos-jwt volume is not mounted"));
            assertEquals("/etc/mythos/jwt", mount.getMountPath());
            assertEquals(Boolean.TRUE, mount.getReadOnly(), service + ": the keys must be mounted read-only");
            assertEquals("/etc/mythos/jwt/publicKey.pem", env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION").getValue());
            assertEquals("/etc/mythos/jwt/privateKey.pem", env.get("SMALLRYE_JWT_SIGN_KEY_LOCATION").getValue());
            // The image runs as user 185: the Secret's files (mode 0440) are readable through the pod's fsGroup.
            assertEquals(185L, deployment.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup(), service + " fsGroup");
            assertEquals(Boolean.TRUE, deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());
        }));
        assertAll(checks);
    }

    @Test
    void peerUrlsReachThePeersServices() {
        Map<String, Service> services = new LinkedHashMap<>();
        PORTS.keySet().forEach(service -> services.put(service, one(generated(service), Service.class)));
        List<Executable> checks = new ArrayList<>();
        PEERS.forEach((service, peers) -> checks.add(() -> {
            Map<String, String> env = env(container(one(generated(service), Deployment.class)));
            Set<String> restClientUrls = env.keySet().stream().filter(name -> name.matches("QUARKUS_REST_CLIENT_[A-Z_]+_URL"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(peers.keySet()), restClientUrls, service + ": only the peer URLs it uses");
            peers.forEach((variable, peer) -> {
                Service target = services.get(peer);
                String expected = "http://" + target.getMetadata().getName() + ":" + target.getSpec().getPorts().get(0).getPort();
                assertEquals(expected, env.get(variable), service + " " + variable);
            });
        }));
        assertAll(checks);
    }

    @Test
    void theTemplatesDefineWhatTheDeploymentsReference() throws Exception {
        List<HasMetadata> templates = new ArrayList<>(parse(DEPLOY.resolve("config.yaml")));
        templates.addAll(parse(DEPLOY.resolve("secrets.yaml")));
        ConfigMap config = templates.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> c.getMetadata().getName().equals("mythos-config")).findFirst().orElseThrow();
        assertEquals(Set.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL"), config.getData().keySet());
        config.getData().values().forEach(url -> assertTrue(url.contains("REPLACE_WITH_POSTGRES_HOST"),
                "the PostgreSQL URL must be an obvious placeholder: " + url));
        Map<String, Secret> secrets = templates.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
        assertEquals(Set.of("publicKey.pem", "privateKey.pem"), secrets.get("mythos-jwt").getStringData().keySet());
        Map<String, String> users = Map.of("healing-service", "healing", "load-balancer-service", "loadbalancer",
                "recovery-daemon-service", "recovery");
        users.forEach((service, user) -> {
            Secret db = secrets.get(service + "-db");
            assertNotNull(db, "no Secret template " + service + "-db");
            assertEquals(user, db.getStringData().get("username"), "each service has its own user, named after its schema");
            assertTrue(db.getStringData().get("password").startsWith("REPLACE_WITH_"), "a template holds no real password");
        });

        String kustomization = Files.readString(DEPLOY.resolve("kustomization.yaml"), StandardCharsets.UTF_8);
        for (String service : PORTS.keySet()) {
            assertTrue(kustomization.contains("- ../../" + service + "/target/kubernetes/kubernetes.yml"),
                    "kustomization.yaml must assemble the generated manifest of " + service);
        }
    }

    @Test
    void kustomizeAssemblesTheWholePlaneInItsNamespace(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed");
        Path output = tmp.resolve("plane.yaml");
        Process process = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone", DEPLOY.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("kubectl kustomize did not finish within 60 s");
        }
        String yaml = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> "kubectl kustomize failed:\n" + yaml);
        List<HasMetadata> plane = parse(output);
        Set<String> kinds = plane.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(List.of("Namespace/mythos", "ConfigMap/mythos-config", "Secret/mythos-jwt"));
        PORTS.keySet().forEach(s -> expected.addAll(List.of("Deployment/" + s, "Service/" + s, "Secret/" + s + "-db")));
        assertEquals(expected, kinds);
        plane.stream().filter(r -> !(r.getKind().equals("Namespace")))
                .forEach(r -> assertEquals("mythos", r.getMetadata().getNamespace(), r.getKind() + "/" + r.getMetadata().getName()));
    }

    // ---------------------------------------------------------------------------------------------

    private static List<HasMetadata> generated(String service) {
        Path manifest = REPO_ROOT.resolve(service).resolve("target/kubernetes/kubernetes.yml");
        assertTrue(Files.isRegularFile(manifest), manifest + " is missing: ./mvnw package generates it (quarkus-kubernetes)");
        return parse(manifest);
    }

    private static List<HasMetadata> parse(Path yaml) {
        try (InputStream in = Files.newInputStream(yaml)) {
            Object parsed = YAML.unmarshal(in);
            if (parsed instanceof KubernetesList list) {
                return list.getItems();
            }
            if (parsed instanceof List<?> list) {
                return list.stream().map(HasMetadata.class::cast).toList();
            }
            return List.of((HasMetadata) parsed);
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + yaml, e);
        }
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> type) {
        List<T> matches = resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, matches.size(), "one " + type.getSimpleName() + " expected");
        return matches.get(0);
    }

    private static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    /** Plain-valued variables (those from Secrets have no value). */
    private static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }

    private static void probe(String service, String kind, Probe probe, String path, int port) {
        assertNotNull(probe, service + ": no " + kind + " probe");
        assertNotNull(probe.getHttpGet(), service + ": the " + kind + " probe must be an HTTP GET");
        assertEquals(path, probe.getHttpGet().getPath(), service + " " + kind + " probe path");
        assertEquals(port, Objects.requireNonNull(probe.getHttpGet().getPort()).getIntVal(), service + " " + kind + " probe port");
    }

    /** The heap the options allow in a container of the given limit: -Xmx, else -XX:MaxRAMPercentage. */
    private static long maxHeap(String javaOptions, long limit) {
        Matcher xmx = Pattern.compile("-Xmx(\\d+)([mMgG])").matcher(javaOptions);
        if (xmx.find()) {
            return Long.parseLong(xmx.group(1)) * (xmx.group(2).equalsIgnoreCase("g") ? 1024 : 1) * MIB;
        }
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)").matcher(javaOptions);
        assertTrue(percentage.find(), "no -Xmx nor -XX:MaxRAMPercentage in " + javaOptions);
        return (long) (limit * Double.parseDouble(percentage.group(1)) / 100);
    }

    private static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
                return true;
            }
        }
        return false;
    }
}
