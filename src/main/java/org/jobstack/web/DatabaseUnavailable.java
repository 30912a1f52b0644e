package org.jobstack.web;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * A request failed because the database cannot be reached (stopped, restarting, connections cut,
 * pool waiting past its timeout): the client gets 503 and a hint to try again, not a 500.
 */
final class DatabaseUnavailable {

    static final String DETAIL = "The database is unavailable; try again in a few seconds";
    static final String CANNOT_WRITE =
            "The database cannot write to its disk (full or not writable); nothing was stored; try again later";
    static final String BUSY =
            "Conflicting writes kept this request from completing; nothing was stored, send it again";
    private static final String RETRY_AFTER_SECONDS = "5";
    private static final List<Class<? extends Throwable>> CAUSES = List.of(
            DataAccessResourceFailureException.class,
            CannotCreateTransactionException.class,
            SQLTransientConnectionException.class,
            SQLNonTransientConnectionException.class,
            ConnectException.class);
    private static final String HIBERNATE_CONNECTION = "org.hibernate.exception.JDBCConnectionException";
    /**
     * What the pool's proxy of a connection that broke answers (with no SQL state); it is all that is
     * left when the rollback on the broken connection replaced the first failure.
     */
    private static final String HIKARI_CLOSED = "Connection is closed";

    private DatabaseUnavailable() {}

    /**
     * Whether a connection problem is anywhere in the chain (causes and suppressed: a failed
     * rollback on the broken connection hides the first failure): a connection-class SQL state
     * ({@code 08…}), PostgreSQL shutting down or starting ({@code 57P01}-{@code 57P03}).
     */
    static boolean causedBy(Throwable failure) {
        return causedBy(failure, 0);
    }

    private static boolean causedBy(Throwable t, int depth) {
        if (t == null || depth > 20) {
            return false;
        }
        if (CAUSES.stream().anyMatch(c -> c.isInstance(t))
                || (t instanceof SQLException sql && writeFailed(sql))
                || t.getClass().getName().equals(HIBERNATE_CONNECTION)
                || (t instanceof SQLException sql
                        && (connectionState(sql.getSQLState()) || HIKARI_CLOSED.equals(sql.getMessage())))) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (causedBy(suppressed, depth + 1)) {
                return true;
            }
        }
        return t.getCause() != t && causedBy(t.getCause(), depth + 1);
    }

    private static boolean connectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }

    /** Whether a write to the database's own files failed, somewhere in the chain. */
    private static boolean cannotWrite(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && writeFailed(sql)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An I/O error under a database error that is not about the connection: the database's own
     * files (H2's general error over a failed write). A driver's socket error (PostgreSQL's
     * {@code 08006}) is the connection, not the disk.
     */
    private static boolean writeFailed(SQLException sql) {
        if (connectionState(sql.getSQLState())) {
            return false;
        }
        for (Throwable t = sql.getCause(); t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    static ResponseEntity<ApiErrors.Body> response(Throwable failure) {
        return unavailable(cannotWrite(failure) ? CANNOT_WRITE : DETAIL, RETRY_AFTER_SECONDS);
    }

    /** Lock conflicts that outlasted their retries: nothing was written, the same request may be sent again. */
    static ResponseEntity<ApiErrors.Body> busy() {
        return unavailable(BUSY, "1");
    }

    private static ResponseEntity<ApiErrors.Body> unavailable(String detail, String retryAfterSeconds) {
        ResponseEntity<ApiErrors.Body> body = ApiErrors.response(HttpStatus.SERVICE_UNAVAILABLE, detail, null);
        return ResponseEntity.status(body.getStatusCode())
                .headers(body.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(body.getBody());
    }
}
