package org.jobstack.common;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Document ids as CouchDB makes them: 32 lowercase hex digits, 128 random bits. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Ids() {}

    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    public static boolean looksLikeId(String value) {
        return value != null && value.matches("[0-9a-f]{32}");
    }
}
