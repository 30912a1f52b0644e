package org.jobstack.common;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/** Document ids as CouchDB makes them: 32 lowercase hex digits, 128 random bits. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final int TIME_DIGITS = 12;

    private Ids() {}

    public static String newId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /**
     * An id of the same shape whose first 12 digits are the millisecond of {@code at} (48 bits), the
     * other 20 random (80 bits): ids made later sort after, so that the rows written together land
     * side by side in a primary key index (one index page rewritten per commit rather than one per
     * row, in H2 as in PostgreSQL). For rows whose time is public anyway, such as a job's
     * {@code queued_at}; never for an id that is a secret (a webhook's trigger id).
     */
    public static String newTimeOrderedId(Instant at) {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        String time = HEX.toHexDigits(at.toEpochMilli());
        return time.substring(time.length() - TIME_DIGITS) + HEX.formatHex(bytes);
    }

    public static boolean looksLikeId(String value) {
        return value != null && value.matches("[0-9a-f]{32}");
    }
}
