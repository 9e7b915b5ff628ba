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
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the container packaging that no other test exercises: docker-compose.yml must stay a
 * valid compose file wired to the readiness probes, and each service's Dockerfile.jvm must
 * expose the port the compose file publishes.
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
        Assumptions.assumeTrue(dockerComposeAvailable(), "docker-compose not installed");
        Path composeFile = REPO_ROOT.resolve("docker-compose.yml");
        assertTrue(Files.isRegularFile(composeFile), "missing " + composeFile);

        // Output goes to a file, not a pipe, so a chatty docker-compose can never block on a full pipe.
        Path output = tmp.resolve("compose-config.txt");
        Process process = new ProcessBuilder("docker-compose", "-f", composeFile.toString(), "config")
                .directory(REPO_ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("docker-compose config did not finish within 60 s");
        }
        String config = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> "docker-compose config failed:\n" + config);

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
    void eachServiceHasAJvmDockerfileExposingItsPort() {
        List<Executable> checks = new ArrayList<>();
        SERVICE_PORTS.forEach((service, port) -> checks.add(() -> {
            Path dockerfile = REPO_ROOT.resolve(service).resolve("src/main/docker/Dockerfile.jvm");
            assertTrue(Files.isRegularFile(dockerfile), "missing " + dockerfile);
            String content = Files.readString(dockerfile, StandardCharsets.UTF_8);
            assertTrue(Pattern.compile("(?m)^EXPOSE\\s+" + port + "\\s*$").matcher(content).find(),
                    dockerfile + " does not EXPOSE " + port);
        }));
        assertAll(checks);
    }

    /** True when an executable {@code docker-compose} is on the PATH; never runs it. */
    private static boolean dockerComposeAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, "docker-compose");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // An unusable PATH entry (e.g. an invalid path) just is not where docker-compose lives.
            }
        }
        return false;
    }
}
