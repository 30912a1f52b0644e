package org.jobstack.common;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Timestamps as JDBC wants them, on H2 and PostgreSQL alike, and the condition of a listing's next page. */
public final class Sql {

    private Sql() {}

    public static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * {@code " AND "} the rows after the cursor's (time, id) in a listing sorted by {@code
     * timeColumn} then {@code id}, ascending or descending; bound as {@code :at} and {@code :id}.
     * Empty for the first page (no cursor).
     */
    public static String after(PageCursor cursor, String timeColumn, boolean descending) {
        if (cursor == null) {
            return "";
        }
        String beyond = descending ? "<" : ">";
        return " AND (" + timeColumn + " " + beyond + " :at OR (" + timeColumn + " = :at AND id " + beyond + " :id))";
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
