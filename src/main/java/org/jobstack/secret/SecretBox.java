package org.jobstack.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets the database holds with AES-256-GCM (the JDK's): {@code enc:v1:<key id>:<base64
 * of a 12-byte nonce, the ciphertext and its 16-byte tag>}. The {@code purpose} (table and column) is
 * authenticated with it, so a value copied into another column does not open. Seals with the
 * primary key; opens with any key of the ring (the previous ones, during a rotation).
 */
public final class SecretBox {

    static final String PREFIX = "enc:v1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EncryptionKey primary;
    private final Map<String, EncryptionKey> keys = new LinkedHashMap<>();

    public SecretBox(EncryptionKey primary, List<EncryptionKey> previous) {
        this.primary = primary;
        keys.put(primary.id(), primary);
        previous.forEach(k -> keys.putIfAbsent(k.id(), k));
    }

    public EncryptionKey primary() {
        return primary;
    }

    public boolean has(String keyId) {
        return keys.containsKey(keyId);
    }

    public String seal(String purpose, byte[] plain) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, primary, nonce, purpose);
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = ByteBuffer.allocate(NONCE + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return PREFIX + primary.id() + ":"
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plain bytes of a value {@link #seal} made, or {@link UnreadableSecret} saying why not. */
    public byte[] open(String purpose, String value) {
        String keyId = keyId(value).orElseThrow(() -> new UnreadableSecret("not an encrypted value"));
        EncryptionKey key = keys.get(keyId);
        if (key == null) {
            throw new UnreadableSecret("encrypted with key " + keyId + ", which this node does not have");
        }
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(value.substring(PREFIX.length() + keyId.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new UnreadableSecret("damaged (not base64)");
        }
        if (data.length < NONCE + TAG_BITS / 8) {
            throw new UnreadableSecret("damaged (too short)");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(data, NONCE), purpose);
            return cipher.doFinal(data, NONCE, data.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new UnreadableSecret("damaged, or sealed for another column (authentication failed)");
        }
    }

    /** Whether {@code value} has the sealed form (the key id is then its {@link #keyId}). */
    public static boolean isSealed(String value) {
        return keyId(value).isPresent();
    }

    public static Optional<String> keyId(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = value.indexOf(':', PREFIX.length());
        return end > PREFIX.length() ? Optional.of(value.substring(PREFIX.length(), end)) : Optional.empty();
    }

    private static Cipher cipher(int mode, EncryptionKey key, byte[] nonce, String purpose)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key.bytes(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** A sealed value this node cannot open: unknown key, damaged bytes, or another column's value. */
    public static class UnreadableSecret extends RuntimeException {
        UnreadableSecret(String reason) {
            super("Secret " + reason);
        }
    }
}
