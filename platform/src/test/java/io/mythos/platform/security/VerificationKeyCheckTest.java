package io.mythos.platform.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerificationKeyCheckTest {

    @Test
    void noKeyIsRefusedWithOneLineSayingWhatToSet() {
        String message = VerificationKeyCheck.problem(Optional.empty(), Optional.empty()).orElseThrow();
        assertTrue(message.contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION"), message);
        assertTrue(message.contains("mp.jwt.verify.publickey.location"), message);
        assertEquals(-1, message.indexOf('\n'), "one line");
        assertTrue(VerificationKeyCheck.problem(Optional.of(" "), Optional.empty()).isPresent(), "blank is not a key");
    }

    @Test
    void aKeyFileThatIsNotThereIsRefused(@TempDir Path dir) {
        String message = VerificationKeyCheck.problem(Optional.of(dir.resolve("publicKey.pem").toString()), Optional.empty())
                .orElseThrow();
        assertTrue(message.contains("publicKey.pem") && message.contains("not a readable file"), message);
        assertTrue(VerificationKeyCheck.problem(Optional.of("file:" + dir.resolve("nope.pem")), Optional.empty()).isPresent());
    }

    @Test
    void aReadableFileAUrlOrAnInlineKeyPasses(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("publicKey.pem"), "-----BEGIN PUBLIC KEY-----");
        assertTrue(VerificationKeyCheck.problem(Optional.of(key.toString()), Optional.empty()).isEmpty());
        assertTrue(VerificationKeyCheck.problem(Optional.of("file:" + key), Optional.empty()).isEmpty());
        assertTrue(VerificationKeyCheck.problem(Optional.of("https://idp.example/jwks.json"), Optional.empty()).isEmpty());
        assertTrue(VerificationKeyCheck.problem(Optional.empty(), Optional.of("MIIB...")).isEmpty());
    }
}
