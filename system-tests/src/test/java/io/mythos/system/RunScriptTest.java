package io.mythos.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure modes of {@code bin/mythos}, each run against the script with a controlled PATH and a
 * state directory of its own. Every case fails before the script builds or starts anything, so the
 * class takes seconds.
 */
class RunScriptTest {

    private static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path SCRIPT = REPO_ROOT.resolve("bin/mythos");

    /** Everything the script calls; a test drops one to see it named. */
    private static final List<String> TOOLS = List.of("bash", "grep", "sed", "head", "tail", "tr", "cut", "date",
            "find", "sort", "mv", "nohup", "mkdir", "dirname", "readlink", "ps", "ss", "curl", "java", "cat", "rm");

    @TempDir
    Path tmp;

    @Test
    void aMissingCurlIsNamedWithHowToInstallItBeforeAnythingStarts() throws Exception {
        Result result = run(SCRIPT, toolsWithout("curl").toString(), Map.of(), "up");

        assertEquals(1, result.exit, result.output);
        assertTrue(result.output.contains("mythos: curl not found") && result.output.contains("apt-get install curl"),
                result.output);
        assertFalse(Files.exists(stateDir()), "nothing may be created (no build, no logs):\n" + result.output);
    }

    @Test
    void aMissingJavaIsNamed() throws Exception {
        Result result = run(SCRIPT, toolsWithout("java").toString(), Map.of(), "up");

        assertEquals(1, result.exit, result.output);
        assertTrue(result.output.contains("mythos: java not found: install Java 17 or newer"), result.output);
        assertFalse(Files.exists(stateDir()), result.output);
    }

    @Test
    void anOldJavaIsRefused() throws Exception {
        Path tools = toolsWithout("java");
        executable(tools.resolve("java"), "#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n");

        Result result = run(SCRIPT, tools.toString(), Map.of(), "up");

        assertEquals(1, result.exit, result.output);
        assertTrue(result.output.contains("is Java 11: Java 17 or newer is needed"), result.output);
        assertFalse(Files.exists(stateDir()), result.output);
    }

    @Test
    void statusNeedsCurlButDownDoesNot() throws Exception {
        Path tools = toolsWithout("curl");

        assertTrue(run(SCRIPT, tools.toString(), Map.of(), "status").output.contains("curl not found"));
        Result down = run(SCRIPT, tools.toString(), Map.of(), "down");
        assertEquals(0, down.exit, down.output);
        assertTrue(down.output.contains("nothing is running"), down.output);
    }

    @Test
    void aPortHeldByAnotherProcessIsRefusedNamingThatProcess() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = freePorts();
            env.put("MYTHOS_HEALING_PORT", Integer.toString(held.getLocalPort()));

            Result result = run(SCRIPT, realPath(), env, "up");

            assertEquals(1, result.exit, result.output);
            // ss names the owner; without it the script can only say that the port is taken.
            String owner = onRealPath("ss").isPresent() ? "java (pid " + ProcessHandle.current().pid() + ")" : "an unknown process";
            assertTrue(result.output.contains("port " + held.getLocalPort() + " for healing-service is already in use by " + owner),
                    result.output);
            assertTrue(result.output.contains("not starting anything"), result.output);
            assertFalse(Files.exists(stateDir().resolve("logs/build.log")), "must fail before building:\n" + result.output);
            assertFalse(Files.exists(stateDir().resolve("logs/healing-service.log")), result.output);
        }
    }

    @Test
    void stalePidFilesAreReportedAndRemovedWithoutTouchingTheProcessNowHoldingThePid() throws Exception {
        Path run = Files.createDirectories(stateDir().resolve("run"));
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor(10, TimeUnit.SECONDS);
        long deadPid = finished.pid();
        long otherProgram = ProcessHandle.current().pid();
        Files.writeString(run.resolve("healing-service.pid"), deadPid + "\n");
        Files.writeString(run.resolve("load-balancer-service.pid"), otherProgram + "\n");

        Result result = run(SCRIPT, realPath(), Map.of(), "down");

        assertEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("healing-service (pid " + deadPid + ") is no longer running"), result.output);
        assertTrue(result.output.contains("pid " + otherProgram + " is now another program"), result.output);
        assertTrue(result.output.contains("nothing is running"), result.output);
        assertFalse(Files.exists(run.resolve("healing-service.pid")), result.output);
        assertFalse(Files.exists(run.resolve("load-balancer-service.pid")), result.output);
        assertTrue(ProcessHandle.current().isAlive());
    }

    @Test
    void jarsOlderThanTheSourcesAreNotReusedSilently() throws Exception {
        // A copy of the script in a repository of its own: fake jars, one source file changed after them.
        Path repo = tmp.resolve("repo");
        Path script = copyScript(repo);
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        for (String service : List.of("healing-service", "load-balancer-service", "recovery-daemon-service")) {
            Path jar = repo.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, "");
            Files.setLastModifiedTime(jar, old);
        }
        Path source = repo.resolve("healing-service/src/main/java/Changed.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Changed {}");
        Map<String, String> env = freePorts();
        // Its own database, which does not answer: 'up' stops right after the jar check.
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.2:9/none");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.2:9/none");

        Result result = run(script, realPath(), env, "up");

        assertEquals(1, result.exit, result.output);
        assertTrue(result.output.contains("reusing jars older than the sources (e.g. healing-service/src/main/java/Changed.java"),
                result.output);
        assertTrue(result.output.contains("PostgreSQL is not answering at 127.0.0.2:9"), result.output);
    }

    @Test
    void aSignalDuringStartStopsWhatWasStartedAndExits() throws Exception {
        // Fake jars, a fake Java whose "services" never become ready, a database that always answers.
        Path repo = tmp.resolve("repo");
        Path script = copyScript(repo);
        fakeJars(repo, "");
        Path fakes = Files.createDirectories(tmp.resolve("fakes"));
        executable(fakes.resolve("java"), "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.9\" 2023-10-17' >&2; exit 0; fi\n"
                + FAKE_JWT_TOOL
                + "exec sleep 300\n");
        executable(fakes.resolve("pg_isready"), "#!/bin/sh\nexit 0\n");
        Map<String, String> env = freePorts();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:9/none");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:9/none");
        // this fake, not a Java 25 the machine may have installed beside it
        env.put("MYTHOS_JAVA", fakes.resolve("java").toString());
        Path output = tmp.resolve("up.out");
        Process up = start(script, fakes + File.pathSeparator + realPath(), env, output, "up");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(output).contains("waiting up to"));
            List<ProcessHandle> services = new ArrayList<>();
            for (String service : List.of("healing-service", "load-balancer-service", "recovery-daemon-service")) {
                long pid = Long.parseLong(Files.readString(stateDir().resolve("run/" + service + ".pid")).trim());
                services.add(ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(service + " is not running")));
            }

            // SIGTERM rather than Ctrl-C's SIGINT: a JVM started in the background may pass SIGINT on as
            // ignored, which a shell cannot trap. The script handles INT, TERM and HUP the same way.
            up.destroy();

            assertTrue(up.waitFor(30, TimeUnit.SECONDS), "bin/mythos up did not exit:\n" + Files.readString(output));
            String text = Files.readString(output);
            assertEquals(130, up.exitValue(), text); // the script answers any interruption with 130
            assertTrue(text.contains("interrupted during startup") && text.contains("all services stopped"), text);
            services.forEach(service -> assertFalse(service.isAlive(), "still running: " + service.pid() + "\n" + text));
            assertFalse(Files.exists(stateDir().resolve("run/healing-service.pid")), text);
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    /** Issue 11: the first use makes a key pair only its owner can read; 'token' prints a JWT with the asked roles and lifetime. */
    @Test
    void tokenMakesTheKeyPairOnceAndPrintsATokenOfTheRoleAndLifetimeAsked() throws Exception {
        Map<String, String> env = Map.of("MYTHOS_STATE_DIR", tmp.resolve("state").toString());
        Result first = run(SCRIPT, realPath(), env, "token", "--role", "worker", "--ttl", "30m", "--subject", "w7");
        assertEquals(0, first.exit, first.output);
        assertTrue(first.output.contains("created a key pair for bearer tokens"), first.output);
        Path keys = tmp.resolve("state/keys");
        for (String file : List.of("publicKey.pem", "privateKey.pem")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(keys.resolve(file))), file);
        }
        String privateKey = Files.readString(keys.resolve("privateKey.pem"));
        assertTrue(privateKey.startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 PEM");
        String token = first.output.lines().filter(l -> l.startsWith("ey")).findFirst().orElseThrow(() -> new AssertionError(first.output));
        String claims = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"groups\":[\"worker\"]") && claims.contains("\"sub\":\"w7\"")
                && claims.contains("\"iss\":\"mythos\""), claims);
        java.util.regex.Matcher iat = Pattern.compile("\"iat\":(\\d+),\"exp\":(\\d+)").matcher(claims);
        assertTrue(iat.find(), claims);
        assertEquals(1800, Long.parseLong(iat.group(2)) - Long.parseLong(iat.group(1)));

        Result second = run(SCRIPT, realPath(), env, "token", "--role", "viewer");
        assertEquals(0, second.exit, second.output);
        assertTrue(!second.output.contains("created a key pair"), "the pair is made once: " + second.output);
        assertEquals(privateKey, Files.readString(keys.resolve("privateKey.pem")));

        Result unknown = run(SCRIPT, realPath(), env, "token", "--role", "admin");
        assertEquals(1, unknown.exit);
        assertTrue(unknown.output.contains("unknown role 'admin' (one of: viewer reporter worker service operator)"), unknown.output);
        Result badTtl = run(SCRIPT, realPath(), env, "token", "--role", "viewer", "--ttl", "soon");
        assertEquals(1, badTtl.exit);
        assertTrue(badTtl.output.contains("--ttl 'soon' is not a duration"), badTtl.output);
    }

    @Test
    void aNewerJavaBesideThePathsIsPreferredWithTheSmallServiceOptionsAndAnAotTrainingStart() throws Exception {
        // Java 17 on PATH, a newer one in JAVA_HOME; both fakes record their arguments and never become ready.
        Path repo = tmp.resolve("repo");
        Path script = copyScript(repo);
        fakeJars(repo, "");
        Path args = tmp.resolve("java-args.txt");
        Path fakes = Files.createDirectories(tmp.resolve("fakes"));
        executable(fakes.resolve("java"), "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then echo 'openjdk version \"17.0.9\" 2023-10-17' >&2; exit 0; fi\n"
                + FAKE_JWT_TOOL
                + "echo \"java17 $*\" >> " + args + "\nexec sleep 300\n");
        Path newer = Files.createDirectories(tmp.resolve("jdk-newer/bin"));
        // a version no real JDK has yet, so that no JDK installed under /usr/lib/jvm is newer
        executable(newer.resolve("java"), "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then echo 'openjdk version \"99.0.1\" 2099-01-01' >&2; exit 0; fi\n"
                + FAKE_JWT_TOOL
                + "echo \"java99 $*\" >> " + args + "\nexec sleep 300\n");
        executable(fakes.resolve("pg_isready"), "#!/bin/sh\nexit 0\n");
        Map<String, String> env = freePorts();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:9/none");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:9/none");
        env.put("JAVA_HOME", newer.getParent().toString());
        env.put("MYTHOS_READY_TIMEOUT", "2");

        Result result = run(script, fakes + File.pathSeparator + realPath(), env, "up");

        assertEquals(1, result.exit, result.output); // the fakes never become ready
        assertTrue(result.output.contains("creating the AOT caches"), result.output);
        assertTrue(result.output.contains("the AOT training start failed; starting without a cache"), result.output);
        List<String> starts = Files.readAllLines(args).stream().filter(l -> l.contains("-jar")).toList();
        assertEquals(6, starts.size(), "a training start and a start of each service:\n" + String.join("\n", starts));
        for (String start : starts) {
            assertTrue(start.startsWith("java99 "), "the newer Java runs the services: " + start);
            for (String option : List.of("-XX:+UseSerialGC", "-Xmx160m", "-Xss512k", "-XX:+UseCompactObjectHeaders")) {
                assertTrue(start.contains(option), option + " missing: " + start);
            }
            // C1 only where the work is I/O; the load balancer's planner keeps C2 (docs/BENCHMARKS.md)
            assertEquals(!start.contains("load-balancer-service"), start.contains("-XX:TieredStopAtLevel=1"), start);
        }
        assertEquals(3, starts.stream().filter(l -> Pattern.compile("-XX:AOTCacheOutput=\\S+/aot/[a-z-]+-\\d+\\.aot\\.part ").matcher(l).find()).count(),
                "one training start per service records its cache under .mythos/aot:\n" + String.join("\n", starts));
        // no cache was written (the training never got ready), so the real starts run without one
        assertEquals(0, starts.stream().filter(l -> l.contains("-XX:AOTCache=")).count(), String.join("\n", starts));

        // MYTHOS_JAVA pins the JVM: Java 17, the same options without the Java 25 one, no AOT cache
        Files.delete(args);
        env.put("MYTHOS_JAVA", fakes.resolve("java").toString());
        result = run(script, fakes + File.pathSeparator + realPath(), env, "up");
        assertEquals(1, result.exit, result.output);
        starts = Files.readAllLines(args).stream().filter(l -> l.contains("-jar")).toList();
        assertEquals(3, starts.size(), String.join("\n", starts));
        for (String start : starts) {
            assertTrue(start.startsWith("java17 ") && start.contains("-XX:+UseSerialGC") && !start.contains("UseCompactObjectHeaders")
                    && !start.contains("AOTCache"), start);
        }
    }

    @Test
    void theAotCacheIsTrainedOnceUsedAfterwardsAndTrainedAgainWhenAJarChanges() throws Exception {
        // A fake Java 99 "service": a static HTTP server that answers /q/health/ready; asked for an AOT cache, it
        // writes one (a real JVM writes it as it exits). Each start's arguments go to a file.
        Optional<Path> python = onRealPath("python3");
        Assumptions.assumeTrue(python.isPresent(), "python3 is not installed");
        Path repo = tmp.resolve("repo");
        Path script = copyScript(repo);
        fakeJars(repo, "v1");
        Path web = Files.createDirectories(tmp.resolve("web/q/health"));
        Files.writeString(web.resolve("ready"), "{}");
        Path args = tmp.resolve("java-args.txt");
        Path jdk = Files.createDirectories(tmp.resolve("jdk-newer/bin"));
        executable(jdk.resolve("java"), "#!/bin/sh\n"
                + "if [ \"$1\" = -version ]; then echo 'openjdk version \"99.0.1\" 2099-01-01' >&2; exit 0; fi\n"
                + "echo \"$*\" >> " + args + "\n"
                + "for a in \"$@\"; do case $a in -XX:AOTCacheOutput=*) echo cache > \"${a#-XX:AOTCacheOutput=}\" ;; esac; done\n"
                // not exec: the process bin/mythos knows must keep the jar in its command line (pid-reuse guard)
                + "cd " + tmp.resolve("web") + " || exit 1\n"
                + python.get() + " -m http.server --bind 127.0.0.1 \"$QUARKUS_HTTP_PORT\" >/dev/null 2>&1 &\n"
                + "child=$!\ntrap 'kill $child; exit 0' TERM INT\nwait $child\n");
        Path fakes = Files.createDirectories(tmp.resolve("fakes"));
        executable(fakes.resolve("pg_isready"), "#!/bin/sh\nexit 0\n");
        Map<String, String> env = freePorts();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:9/none");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:9/none");
        env.put("MYTHOS_JAVA", jdk.resolve("java").toString());
        Path aot = stateDir().resolve("aot");
        try {
            Result first = run(script, fakes + File.pathSeparator + realPath(), env, "up", "-d");
            assertEquals(0, first.exit, first.output);
            assertTrue(first.output.contains("creating the AOT caches"), first.output);
            List<String> starts = Files.readAllLines(args);
            assertEquals(6, starts.size(), String.join("\n", starts));
            assertEquals(3, starts.stream().filter(l -> l.contains("-XX:AOTCacheOutput=")).count(), String.join("\n", starts));
            assertEquals(3, starts.stream().filter(l -> l.contains("-XX:AOTCache=" + aot)).count(), String.join("\n", starts));
            List<String> caches = cacheFiles(aot);
            assertEquals(3, caches.size(), caches.toString());
            assertEquals(0, run(script, realPath(), Map.of(), "down").exit);

            // the next start uses the caches as they are
            Files.delete(args);
            Result second = run(script, fakes + File.pathSeparator + realPath(), env, "up", "-d");
            assertEquals(0, second.exit, second.output);
            assertFalse(second.output.contains("creating the AOT caches"), second.output);
            assertEquals(3, Files.readAllLines(args).stream().filter(l -> l.contains("-XX:AOTCache=" + aot)).count());
            assertEquals(0, run(script, realPath(), Map.of(), "down").exit);

            // a rebuilt jar: that service's cache is trained again and replaces the old one; the others stay
            Files.writeString(repo.resolve("healing-service/target/quarkus-app/quarkus-run.jar"), "v2, rebuilt");
            Files.delete(args);
            Result third = run(script, fakes + File.pathSeparator + realPath(), env, "up", "-d");
            assertEquals(0, third.exit, third.output);
            assertTrue(third.output.contains("a training start of healing-service)"), third.output);
            List<String> after = cacheFiles(aot);
            assertEquals(3, after.size(), after.toString());
            assertFalse(after.containsAll(caches), "the healing cache must be a new one: " + after);
            assertEquals(2, after.stream().filter(caches::contains).count(), after.toString());
        } finally {
            run(script, realPath(), Map.of(), "down");
        }
    }

    private static List<String> cacheFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".aot")).sorted().toList();
        }
    }

    @Test
    void servicesBindToLoopbackUnlessOneVariableSaysOtherwise() throws Exception {
        assertTrue(run(SCRIPT, realPath(), Map.of(), "help").output.contains("bound to 127.0.0.1 (MYTHOS_HTTP_HOST)"));
        assertTrue(run(SCRIPT, realPath(), Map.of("MYTHOS_HTTP_HOST", "0.0.0.0"), "help").output
                .contains("bound to 0.0.0.0 (MYTHOS_HTTP_HOST)"));
        String script = Files.readString(SCRIPT, StandardCharsets.UTF_8);
        assertTrue(script.contains("QUARKUS_HTTP_HOST=$HTTP_HOST QUARKUS_HTTP_PORT=$port exec nohup \"$JAVA\""),
                "each service must be started with the chosen host");
    }

    // ---------------------------------------------------------------------------------------------

    private record Result(int exit, String output) {
    }

    private Path stateDir() {
        return tmp.resolve("state");
    }

    private Result run(Path script, String path, Map<String, String> env, String... args) throws Exception {
        Path output = Files.createTempFile(tmp, "mythos", ".out");
        Process process = start(script, path, env, output, args);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("bin/mythos " + String.join(" ", args) + " did not finish within 60 s:\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private Process start(Path script, String path, Map<String, String> env, Path output, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(script.toString());
        builder.command().addAll(List.of(args));
        builder.environment().keySet().removeIf(key -> key.startsWith("QUARKUS_") || key.startsWith("MYTHOS_")
                || key.startsWith("PG"));
        builder.environment().put("PATH", path);
        builder.environment().put("MYTHOS_STATE_DIR", stateDir().toString());
        builder.environment().putAll(env);
        return builder.redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /**
     * What a fake {@code java} answers for bin/MythosJwt.java ({@code java FILE keys DIR}, {@code java FILE token ...}):
     * an empty key pair and a dummy token, at once, instead of running like a service.
     */
    private static final String FAKE_JWT_TOOL =
            "if [ \"$2\" = keys ]; then mkdir -p \"$3\"; touch \"$3/publicKey.pem\" \"$3/privateKey.pem\"; exit 0; fi\n"
            + "if [ \"$2\" = token ]; then echo fake.jwt.token; exit 0; fi\n";

    /** A copy of the script (and its token tool) in a repository of its own, so that a test can lay out fake jars and sources. */
    private static Path copyScript(Path repo) throws IOException {
        Files.createDirectories(repo.resolve("bin"));
        Files.copy(SCRIPT.resolveSibling("MythosJwt.java"), repo.resolve("bin/MythosJwt.java"));
        Path script = Files.copy(SCRIPT, repo.resolve("bin/mythos"));
        assertTrue(script.toFile().setExecutable(true));
        return script;
    }

    /** A fake packaged jar of each service, holding {@code content}. */
    private static void fakeJars(Path repo, String content) throws IOException {
        for (String service : List.of("healing-service", "load-balancer-service", "recovery-daemon-service")) {
            Path jar = repo.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, content);
        }
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        assertTrue(file.toFile().setExecutable(true));
    }

    /** A directory of symlinks to every tool the script uses, found on the real PATH, but the omitted ones. */
    private Path toolsWithout(String... omitted) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bin-without-" + String.join("-", omitted)));
        Set<String> skip = Set.of(omitted);
        for (String tool : TOOLS) {
            if (skip.contains(tool)) {
                continue;
            }
            Optional<Path> found = onRealPath(tool);
            if (found.isPresent()) {
                Files.createSymbolicLink(dir.resolve(tool), found.get());
            }
        }
        return dir;
    }

    private static String realPath() {
        return System.getenv("PATH");
    }

    private static Optional<Path> onRealPath(String tool) {
        for (String dir : System.getenv("PATH").split(Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Ports no one listens on now, so that only the port a test holds is refused. */
    private static Map<String, String> freePorts() throws IOException {
        Map<String, String> env = new java.util.HashMap<>();
        for (String variable : List.of("MYTHOS_HEALING_PORT", "MYTHOS_LOAD_BALANCER_PORT", "MYTHOS_RECOVERY_DAEMON_PORT",
                "MYTHOS_PG_PORT")) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                env.put(variable, Integer.toString(probe.getLocalPort()));
            }
        }
        return env;
    }
}
