package org.jobstack.web;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Times as the stack renders them: RFC 3339 with nanoseconds, {@code 0001-01-01T00:00:00Z} when unset. */
public final class Times {

    public static final String ZERO = "0001-01-01T00:00:00Z";

    private Times() {}

    public static String format(Instant instant) {
        return instant == null ? ZERO : DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
