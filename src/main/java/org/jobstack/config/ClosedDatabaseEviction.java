package org.jobstack.config;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the connection pool to drop a connection whose H2 database closed under it. H2 closes an
 * embedded database when a write to its file fails (a full disk, an unwritable file); its
 * connections then only answer "The database has been closed" (90098), which the pool does not
 * know as fatal. Dropped, they are replaced by connections that open the file again, so the node
 * recovers by itself once the disk takes writes again. Set as {@code
 * spring.datasource.hikari.exception-override-class-name}.
 */
public class ClosedDatabaseEviction implements SQLExceptionOverride {

    static final int H2_DATABASE_IS_CLOSED = 90098;

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return e.getErrorCode() == H2_DATABASE_IS_CLOSED
                        || String.valueOf(H2_DATABASE_IS_CLOSED).equals(e.getSQLState())
                ? Override.MUST_EVICT
                : Override.CONTINUE_EVICT;
    }
}
