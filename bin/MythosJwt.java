// bin/mythos's key pair and tokens, with nothing but the JDK (run as a single source file: java bin/MythosJwt.java ...).
//   keys DIR                                  make DIR/publicKey.pem and DIR/privateKey.pem (PKCS#8, RSA 2048,
//                                             mode 0600) unless both exist; prints "created" when it made them
//   token DIR ISSUER SUBJECT TTL_SECONDS ROLE...   print an RS256 JWT signed with DIR/privateKey.pem, roles in "groups"
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

public class MythosJwt {

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("keys")) {
            keys(Path.of(args[1]));
        } else if (args.length >= 6 && args[0].equals("token")) {
            String[] roles = java.util.Arrays.copyOfRange(args, 5, args.length);
            System.out.println(token(Path.of(args[1]), args[2], args[3], Long.parseLong(args[4]), roles));
        } else {
            System.err.println("usage: keys DIR | token DIR ISSUER SUBJECT TTL_SECONDS ROLE...");
            System.exit(2);
        }
    }

    static void keys(Path dir) throws Exception {
        if (Files.exists(dir.resolve("privateKey.pem")) && Files.exists(dir.resolve("publicKey.pem"))) {
            return;
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        write(dir, "publicKey.pem", pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        write(dir, "privateKey.pem", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        System.out.println("created");
    }

    /** Written aside with mode 0600 from the start, then moved into place: never readable by others, never half-written. */
    private static void write(Path dir, String name, String content) throws Exception {
        Path tmp = Files.createTempFile(dir, name, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String token(Path dir, String issuer, String subject, long ttlSeconds, String[] roles) throws Exception {
        String pem = Files.readString(dir.resolve("privateKey.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        long now = System.currentTimeMillis() / 1000;
        StringBuilder groups = new StringBuilder();
        for (String role : roles) {
            groups.append(groups.length() == 0 ? "" : ",").append(json(role));
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":" + json(issuer) + ",\"sub\":" + json(subject) + ",\"upn\":" + json(subject)
                + ",\"groups\":[" + groups + "],\"iat\":" + now + ",\"exp\":" + (now + ttlSeconds)
                + ",\"jti\":" + json(UUID.randomUUID().toString()) + "}";
        String signingInput = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64(rsa.sign());
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
