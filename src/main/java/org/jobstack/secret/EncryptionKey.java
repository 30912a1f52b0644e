package org.jobstack.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A 256-bit AES key and its id: the first 16 hex digits of a SHA-256 of the key, safe to store
 * and print (it names the key without revealing it).
 */
public record EncryptionKey(String id, byte[] bytes) {

    public static final int BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static EncryptionKey generate() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return of(bytes);
    }

    /** Parses the base64 form ({@link #base64()}); {@code source} names where it came from in the refusal. */
    public static EncryptionKey parse(String base64, String source) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not base64");
        }
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException(
                    source + " must hold " + BYTES + " bytes in base64 (it holds " + bytes.length + ")");
        }
        return of(bytes);
    }

    private static EncryptionKey of(byte[] bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("jobstack secret key id\n".getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha.digest(bytes);
            return new EncryptionKey(HexFormat.of().formatHex(digest, 0, 8), bytes.clone());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncryptionKey k && id.equals(k.id) && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "EncryptionKey[" + id + "]";
    }
}
