package io.mythos.system;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the container packaging that no other test exercises: docker-compose.yml must stay a
 * valid compose file wired to the readiness probes, fit for a real host (restart policies, memory
 * limits the JVMs fit, loopback-only ports, a PostgreSQL healthcheck over TCP, only the peer URLs each
 * service uses), and each service's Dockerfile.jvm must expose the port the compose file publishes.
 */
class ComposeFileTest {

    /** Surefire runs with the module folder as working directory; the repository root is its parent. */
    private static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();

    private static final Map<String, Integer> SERVICE_PORTS = servicePorts();

    private static Map<String, Integer> servicePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("healing-service", 8081);
        ports.put("load-balancer-service", 8082);
        ports.put("recovery-daemon-service", 8083);
        return ports;
    }

    @Test
    void composeFileIsValidAndGatesOnReadiness(@TempDir Path tmp) throws Exception {
        List<String> compose = composeCommand();
        Assumptions.assumeTrue(compose != null, "neither docker-compose nor docker compose is installed");
        Path composeFile = REPO_ROOT.resolve("docker-compose.yml");
        assertTrue(Files.isRegularFile(composeFile), "missing " + composeFile);

        // Output goes to a file, not a pipe, so a chatty docker-compose can never block on a full pipe.
        Path output = tmp.resolve("compose-config.txt");
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of("-f", composeFile.toString(), "config"));
        ProcessBuilder builder = new ProcessBuilder(command);
        for (String variable : List.of("MYTHOS_POSTGRES_PASSWORD", "MYTHOS_HEALING_DB_PASSWORD", "MYTHOS_LOADBALANCER_DB_PASSWORD",
                "MYTHOS_RECOVERY_DB_PASSWORD")) {
            builder.environment().put(variable, "test-" + variable.toLowerCase()); // the file refuses to render without them
        }
        Process process = builder
                .directory(REPO_ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(compose + " config did not finish within 60 s");
        }
        String config = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> compose + " config failed:\n" + config);

        List<Executable> checks = new ArrayList<>();
        List<String> services = new ArrayList<>(SERVICE_PORTS.keySet());
        services.add(0, "postgres");
        for (String service : services) {
            // Service keys sit at exactly two spaces under `services:` in the normalised output.
            Pattern key = Pattern.compile("(?m)^  " + Pattern.quote(service) + ":\\s*$");
            checks.add(() -> assertTrue(key.matcher(config).find(), "service '" + service + "' missing:\n" + config));
        }
        checks.add(() -> assertTrue(config.contains("condition: service_healthy"),
                "no depends_on with condition service_healthy:\n" + config));
        SERVICE_PORTS.forEach((service, port) -> {
            String readyUrl = "http://localhost:" + port + "/q/health/ready";
            checks.add(() -> assertTrue(config.contains(readyUrl),
                    service + " has no readiness healthcheck on " + readyUrl + ":\n" + config));
        });
        assertAll(checks);
    }

    @Test
    void everyContainerRestartsAndHasAMemoryLimitItsJvmFits() throws Exception {
        Map<String, String> services = serviceBlocks();
        List<Executable> checks = new ArrayList<>();
        services.forEach((service, block) -> {
            checks.add(() -> assertTrue(Pattern.compile("(?m)^    restart: (unless-stopped|on-failure|always)$").matcher(block).find(),
                    service + " has no restart policy"));
            checks.add(() -> assertTrue(setting(block, "mem_limit").isPresent(), service + " has no mem_limit"));
        });
        SERVICE_PORTS.keySet().forEach(service -> checks.add(() -> {
            String block = services.get(service);
            long limit = bytes(setting(block, "mem_limit").orElseThrow());
            String javaOptions = setting(block, "JAVA_OPTS_APPEND").orElseThrow(() -> new AssertionError(service + ": no JAVA_OPTS_APPEND"));
            long heap = maxHeap(javaOptions, limit);
            // Metaspace, code cache, thread stacks and Netty's direct buffers need room beside the heap.
            assertTrue(heap + 192L * MIB <= limit, service + ": heap " + heap / MIB + " MiB leaves under 192 MiB of its "
                    + limit / MIB + " MiB limit to the rest of the JVM (" + javaOptions + ")");
        }));
        assertAll(checks);
    }

    @Test
    void portsArePublishedOnLoopbackOnlyAndPostgresNotAtAll() throws Exception {
        Map<String, String> services = serviceBlocks();
        List<Executable> checks = new ArrayList<>();
        assertTrue(!services.get("postgres").contains("ports:"), "PostgreSQL must not be published");
        SERVICE_PORTS.forEach((service, port) -> checks.add(() -> {
            List<String> ports = listItems(services.get(service), "ports");
            assertEquals(List.of("\"127.0.0.1:" + port + ":" + port + "\""), ports, service + " must publish on 127.0.0.1 only");
        }));
        assertAll(checks);
    }

    @Test
    void postgresIsHealthyOnlyOnceItAnswersAQueryOverTcp() throws Exception {
        String healthcheck = setting(serviceBlocks().get("postgres"), "test").orElseThrow();
        assertTrue(healthcheck.contains("pg_isready -h 127.0.0.1"), "pg_isready must probe TCP, not the Unix socket: " + healthcheck);
        assertTrue(Pattern.compile("psql -h 127\\.0\\.0\\.1 .*select 1").matcher(healthcheck).find(),
                "a real query over TCP must pass: " + healthcheck);
    }

    /**
     * Issue 11: no service connects as the superuser; each has its own user named after its schema, the
     * passwords come from variables (none written in the file), and the token keys are mounted read-only where
     * the services look for them.
     */
    @Test
    void eachServiceHasItsOwnDatabaseUserAndTheTokenKeysWithNoSecretInTheFile() throws Exception {
        Map<String, String> services = serviceBlocks();
        Map<String, String> users = Map.of("healing-service", "healing", "load-balancer-service", "loadbalancer",
                "recovery-daemon-service", "recovery");
        List<Executable> checks = new ArrayList<>();
        users.forEach((service, user) -> checks.add(() -> {
            String block = services.get(service);
            assertEquals(Optional.of(user), setting(block, "QUARKUS_DATASOURCE_USERNAME"), service);
            assertTrue(setting(block, "QUARKUS_DATASOURCE_PASSWORD").orElse("").matches("\\$\\{MYTHOS_[A-Z]+_DB_PASSWORD:\\?.*}"),
                    service + ": the password must come from a required variable");
            assertEquals(Optional.of("/etc/mythos/jwt/publicKey.pem"), setting(block, "MP_JWT_VERIFY_PUBLICKEY_LOCATION"), service);
            assertEquals(Optional.of("/etc/mythos/jwt/privateKey.pem"), setting(block, "SMALLRYE_JWT_SIGN_KEY_LOCATION"), service);
            assertTrue(listItems(block, "volumes").stream().anyMatch(v -> v.matches("\\$\\{MYTHOS_JWT_DIR:-[^}]+}:/etc/mythos/jwt:ro.*")),
                    service + ": the keys must be mounted read-only at /etc/mythos/jwt");
            // bin/mythos makes the private key readable by its owner only: the service runs as that owner
            assertTrue(setting(block, "user").orElse("").startsWith("${MYTHOS_UID:-185}\""),
                    service + ": must run as MYTHOS_UID (default the image's 185), who can read the keys");
        }));
        String postgres = services.get("postgres");
        checks.add(() -> assertTrue(setting(postgres, "POSTGRES_PASSWORD").orElse("").startsWith("${MYTHOS_POSTGRES_PASSWORD:?"),
                "the superuser's password must come from a variable"));
        checks.add(() -> assertTrue(listItems(postgres, "volumes").contains("./docker/postgres-init:/docker-entrypoint-initdb.d:ro"),
                "the per-service users are made by the init script"));
        String init = Files.readString(REPO_ROOT.resolve("docker/postgres-init/10-service-users.sh"), StandardCharsets.UTF_8);
        checks.add(() -> assertTrue(init.contains("CREATE SCHEMA :\"user\" AUTHORIZATION :\"user\"")
                && init.contains("CREATE ROLE :\"user\" LOGIN PASSWORD :'password'"), "each user owns only its schema"));
        checks.add(() -> assertTrue(!Files.readString(REPO_ROOT.resolve("docker-compose.yml")).contains("PASSWORD: postgres"),
                "no password written in the compose file"));
        assertAll(checks);
    }

    @Test
    void eachServiceGetsOnlyThePeerUrlsItUses() throws Exception {
        Map<String, String> services = serviceBlocks();
        Map<String, List<String>> peers = Map.of(
                "healing-service", List.of("QUARKUS_REST_CLIENT_LOAD_BALANCER_URL", "QUARKUS_REST_CLIENT_RECOVERY_DAEMON_URL"),
                "load-balancer-service", List.of(),
                "recovery-daemon-service", List.of("QUARKUS_REST_CLIENT_HEALING_URL"));
        List<Executable> checks = new ArrayList<>();
        peers.forEach((service, expected) -> checks.add(() -> {
            List<String> actual = new ArrayList<>();
            Matcher variable = Pattern.compile("(?m)^      (QUARKUS_REST_CLIENT_[A-Z_]+_URL):").matcher(services.get(service));
            while (variable.find()) {
                actual.add(variable.group(1));
            }
            assertEquals(expected, actual, service);
        }));
        assertAll(checks);
    }

    @Test
    void eachServiceHasAPinnedNonRootJvmDockerfileExposingItsPort() {
        List<Executable> checks = new ArrayList<>();
        SERVICE_PORTS.forEach((service, port) -> checks.add(() -> {
            Path dockerfile = REPO_ROOT.resolve(service).resolve("src/main/docker/Dockerfile.jvm");
            assertTrue(Files.isRegularFile(dockerfile), "missing " + dockerfile);
            String content = Files.readString(dockerfile, StandardCharsets.UTF_8);
            assertTrue(Pattern.compile("(?m)^EXPOSE\\s+" + port + "\\s*$").matcher(content).find(),
                    dockerfile + " does not EXPOSE " + port);
            assertTrue(Pattern.compile("(?m)^FROM registry\\.access\\.redhat\\.com/ubi9/openjdk-\\d+-runtime:\\d+\\.\\d+-\\d+(\\.\\d+)?$")
                    .matcher(content).find(), dockerfile + ": the base must be a runtime image on a pinned release tag");
            assertTrue(Pattern.compile("(?m)^USER 185$").matcher(content).find(), dockerfile + " must run as a non-root user");
            String composeOptions = setting(serviceBlocks().get(service), "JAVA_OPTS_APPEND").orElseThrow();
            assertTrue(content.contains("ENV JAVA_OPTS_APPEND=\"" + composeOptions + "\""),
                    dockerfile + " must carry the compose file's JVM options: " + composeOptions);
            assertEquals(!service.equals("load-balancer-service"), composeOptions.contains("-XX:TieredStopAtLevel=1"),
                    service + ": C1 only for the healing service and the daemon, not the load balancer's planner: " + composeOptions);
            // The measured options (docs/BENCHMARKS.md): Java 25 (compact object headers), the Serial collector.
            assertTrue(content.contains("/ubi9/openjdk-25-runtime:"), dockerfile + " must run on Java 25");
            String gc = setting(serviceBlocks().get(service), "GC_CONTAINER_OPTIONS").orElseThrow();
            assertEquals("-XX:+UseSerialGC", gc, service);
            assertTrue(content.contains("ENV GC_CONTAINER_OPTIONS=\"" + gc + "\""), dockerfile + " must select the compose file's collector");
            for (String part : List.of("-p 127.0.0.1:" + port + ":" + port, "QUARKUS_DATASOURCE_REACTIVE_URL=",
                    "QUARKUS_DATASOURCE_JDBC_URL=", "--network")) {
                assertTrue(content.contains(part), dockerfile + ": the docker run example lacks " + part);
            }
        }));
        assertAll(checks);
    }

    private static final long MIB = 1024L * 1024L;

    /** Service name to its lines of docker-compose.yml (line-based: the file is plain block YAML). */
    private static Map<String, String> serviceBlocks() throws Exception {
        List<String> lines = Files.readAllLines(REPO_ROOT.resolve("docker-compose.yml"), StandardCharsets.UTF_8);
        Map<String, String> blocks = new LinkedHashMap<>();
        boolean inServices = false;
        String current = null;
        StringBuilder block = new StringBuilder();
        for (String line : lines) {
            if (!line.isBlank() && !line.startsWith(" ")) {
                inServices = line.equals("services:");
                continue;
            }
            Matcher key = Pattern.compile("^  ([a-z0-9-]+):\\s*$").matcher(line);
            if (inServices && key.matches()) {
                if (current != null) {
                    blocks.put(current, block.toString());
                }
                current = key.group(1);
                block = new StringBuilder();
            } else if (inServices && current != null) {
                block.append(line).append('\n');
            }
        }
        if (current != null) {
            blocks.put(current, block.toString());
        }
        assertEquals(List.of("postgres", "healing-service", "load-balancer-service", "recovery-daemon-service"),
                new ArrayList<>(blocks.keySet()));
        return blocks;
    }

    private static Optional<String> setting(String block, String key) {
        Matcher value = Pattern.compile("(?m)^\\s+" + Pattern.quote(key) + ":\\s*(.+?)\\s*$").matcher(block);
        return value.find() ? Optional.of(value.group(1).replaceAll("^\"|\"$", "")) : Optional.empty();
    }

    private static List<String> listItems(String block, String key) {
        List<String> items = new ArrayList<>();
        Matcher list = Pattern.compile("(?m)^    " + Pattern.quote(key) + ":\\s*\\n((?:      - .*\\n)*)").matcher(block);
        if (list.find()) {
            for (String item : list.group(1).split("\\n")) {
                if (!item.isBlank()) {
                    items.add(item.trim().substring(2).trim());
                }
            }
        }
        return items;
    }

    private static long bytes(String size) {
        Matcher value = Pattern.compile("(?i)(\\d+)([kmg])b?").matcher(size);
        assertTrue(value.matches(), "unexpected size " + size);
        long unit = switch (value.group(2).toLowerCase()) {
            case "k" -> 1024L;
            case "m" -> MIB;
            default -> 1024L * MIB;
        };
        return Long.parseLong(value.group(1)) * unit;
    }

    /** The heap the options allow in a container of the given limit: -Xmx, else -XX:MaxRAMPercentage. */
    private static long maxHeap(String javaOptions, long limit) {
        Matcher xmx = Pattern.compile("-Xmx(\\d+[kmgKMG])").matcher(javaOptions);
        if (xmx.find()) {
            return bytes(xmx.group(1));
        }
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)").matcher(javaOptions);
        assertTrue(percentage.find(), "no -Xmx nor -XX:MaxRAMPercentage in " + javaOptions);
        return (long) (limit * Double.parseDouble(percentage.group(1)) / 100);
    }

    /**
     * {@code docker-compose} (v1, still validated where installed), else {@code docker compose} (v2) when
     * the Docker CLI has the plugin, else null.
     */
    private static List<String> composeCommand() throws Exception {
        if (onPath("docker-compose")) {
            return List.of("docker-compose");
        }
        if (onPath("docker")) {
            Process version = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (version.waitFor(20, TimeUnit.SECONDS) && version.exitValue() == 0) {
                return List.of("docker", "compose");
            }
            version.destroyForcibly();
        }
        return null;
    }

    /** True when an executable of that name is on the PATH; never runs it. */
    private static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, executable);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // An unusable PATH entry (e.g. an invalid path) just is not where the executable lives.
            }
        }
        return false;
    }
}
