package org.jobstack.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a page of a listing starts: just after the row with this sort time and id. Sent to clients
 * as an opaque {@code page[cursor]} (base64url of {@code <instant>|<id>}), so the order key can
 * change without breaking a link a client holds.
 */
public record PageCursor(Instant at, String id) {

    public static final String PARAMETER = "page[cursor]";
    private static final int MAX_LENGTH = 1024;

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((at + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back; a 400 naming {@code page[cursor]} when it is not one of ours. */
    public static PageCursor decode(String value) {
        if (value.length() > MAX_LENGTH) {
            throw unreadable();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            if (bar < 0 || bar == text.length() - 1) {
                throw unreadable();
            }
            return new PageCursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw unreadable();
        }
    }

    private static Problem unreadable() {
        return Problem.malformed(PARAMETER, "page[cursor] must be a cursor from a links.next of this listing");
    }
}
