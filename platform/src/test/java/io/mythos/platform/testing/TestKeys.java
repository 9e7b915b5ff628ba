package io.mythos.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The tests' token key pair, made on first use (no private key is committed): {@code publicKey.pem} and
 * {@code privateKey.pem} (PKCS#8) in the module's {@code target/test-jwt/}, the same files for every test
 * application and class loader of the build (a file, not a static field or a system property: Quarkus
 * reloads test classes at each restart and restores system properties).
 */
public final class TestKeys {

    private TestKeys() {
    }

    public static Path publicKey() {
        return dir().resolve("publicKey.pem");
    }

    public static Path privateKeyFile() {
        return dir().resolve("privateKey.pem");
    }

    public static PrivateKey privateKey() {
        try {
            return readPrivateKey(Files.readString(privateKeyFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key pair of its own, for tokens this JVM's services must refuse. */
    public static KeyPair another() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a key pair as the two PEM files that bin/mythos makes and the services read. */
    public static void write(KeyPair pair, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("publicKey.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Files.writeString(dir.resolve("privateKey.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }

    static PrivateKey readPrivateKey(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalStateException("not a PKCS#8 RSA private key", e);
        }
    }

    private static Path dir() {
        Path dir = Path.of("target", "test-jwt").toAbsolutePath();
        if (Files.isReadable(dir.resolve("privateKey.pem"))) {
            return dir;
        }
        try {
            // made aside and moved into place at once: a concurrent first use finds either nothing or both files
            Path made = Files.createTempDirectory(Files.createDirectories(dir.getParent()), "test-jwt-");
            write(another(), made);
            try {
                Files.move(made, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException lost) {
                // another JVM or class loader made it first: keep theirs
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
