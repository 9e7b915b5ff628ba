package io.mythos.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** One packaged service started as a separate JVM process, as a platform would run it. */
final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** What a service process keeps of the environment of the tests: nothing that configures it. */
    private static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TMPDIR", "TZ");

    final String module;
    final int port;
    private final Map<String, String> env;
    private final List<String> jvmOptions;
    private final Path log;
    private Process process;
    private long startedAtNanos;
    private long readyAfterMillis = -1;

    ServiceProcess(String module, int port, Map<String, String> env, Path logDir, String instance) {
        this(module, port, env, logDir, instance, List.of("-Xmx256m"));
    }

    ServiceProcess(String module, int port, Map<String, String> env, Path logDir, String instance, List<String> jvmOptions) {
        this.module = module;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.port = port;
        this.env = new LinkedHashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        this.log = logDir.resolve(module + "-" + instance + ".log");
    }

    static Path jar(String module) {
        Path jar = Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify builds them)");
        }
        return jar;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return "http://localhost:" + port;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(module + " already runs");
        }
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar(module).toString()));
        // The working directory is the log folder: Quarkus reads .env and config/application.properties
        // from the working directory, and none of a developer's may configure the tests' services.
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(log.getParent().toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // No configuration is inherited from the shell: every environment variable is a config source of
        // a Quarkus service, and an exported QUARKUS_DATASOURCE_* of a configured system would point the
        // tests' services at its database. The suite sets all they need; the rest is the bare process.
        pb.environment().keySet().retainAll(INHERITED);
        pb.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== start " + java.time.Instant.now() + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            startedAtNanos = System.nanoTime();
            readyAfterMillis = -1;
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + module, e);
        }
    }

    /** Polls readiness; remembers how long the start took (for the figures). */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(module + " exited with " + process.exitValue() + "; see " + log);
            }
            if (ready()) {
                readyAfterMillis = (System.nanoTime() - startedAtNanos) / 1_000_000;
                return;
            }
            pause(25);
        }
        throw new IllegalStateException(module + " not ready within " + timeout + "; see " + log);
    }

    /** Waits for the process to exit by itself: its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(module + " still runs after " + timeout + "; see " + log);
        }
        return process.exitValue();
    }

    long readyAfterMillis() {
        return readyAfterMillis;
    }

    boolean ready() {
        return status("/q/health/ready") == 200;
    }

    /** HTTP status of a GET, or -1 when nothing answers. */
    int status(String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(3)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 15 s. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process keeps its sockets, so callers connect and then wait for an answer. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}: the process goes on with the requests that queued up. */
    void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Resident set size in MiB, from /proc. */
    double rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    Path log() {
        return log;
    }

    /** The process id of the running JVM (for the benchmark's CPU account and its recordings). */
    long pid() {
        return process.pid();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
