package org.jobstack.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The admin passphrase: configured, or generated at first start into {@code <data-dir>/admin-passphrase}
 * (mode 0600) where the CLI finds it. Only its digest is kept in memory; it is never logged.
 */
@Component
public class AdminPassphrase {

    public static final String FILE_NAME = "admin-passphrase";
    private static final Logger log = LoggerFactory.getLogger(AdminPassphrase.class);

    private final byte[] digest;

    public AdminPassphrase(JobstackProperties properties, DataDirectory dataDirectory) {
        String configured = properties.admin().passphrase();
        String passphrase;
        if (configured != null && !configured.isBlank()) {
            passphrase = configured;
        } else {
            Path file = dataDirectory.resolve(FILE_NAME);
            boolean existed = Files.exists(file);
            passphrase = SecretFiles.readOrCreate(file, () -> SecretFiles.randomToken(24));
            log.atInfo()
                    .addKeyValue("file", file)
                    .log(
                            existed
                                    ? "Admin passphrase read from {}"
                                    : "Admin passphrase generated into {} (mode 0600)",
                            file);
        }
        this.digest = sha256(passphrase);
    }

    /** Constant-time comparison: the time taken does not depend on how much of the guess is right. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
