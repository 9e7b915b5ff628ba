package io.mythos.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The system's key pair and the tests' bearer tokens, made with the very tool a user runs ({@code bin/MythosJwt.java},
 * behind {@code bin/mythos up} and {@code bin/mythos token}), so that the suite proves the services accept what
 * it makes. The keys live in {@code target/system-jwt/}; the services get them as a user's would.
 */
final class SystemTokens {

    static final Path KEYS = Path.of("target", "system-jwt").toAbsolutePath();
    private static final Path TOOL = Path.of("..", "bin", "MythosJwt.java").toAbsolutePath().normalize();
    private static String operator;

    private SystemTokens() {
    }

    /** The key pair, made on first use (as the first bin/mythos up does). */
    static synchronized Path keys() {
        if (!Files.isReadable(KEYS.resolve("privateKey.pem"))) {
            run("keys", KEYS.toString());
        }
        return KEYS;
    }

    /** An operator token valid for the whole run (made once: each token costs a JVM start). */
    static synchronized String operator() {
        if (operator == null) {
            operator = token("system-tests", 4 * 3600, "operator");
        }
        return operator;
    }

    static String token(String subject, long ttlSeconds, String... roles) {
        List<String> args = new ArrayList<>(List.of("token", keys().toString(), "mythos", subject, Long.toString(ttlSeconds)));
        args.addAll(List.of(roles));
        return run(args.toArray(String[]::new)).trim();
    }

    private static String run(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), TOOL.toString()));
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("mythos-jwt", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(TOOL + " did not finish within 120 s");
                }
                String text = Files.readString(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(TOOL + " " + String.join(" ", args) + " failed:\n" + text);
                }
                return text;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
