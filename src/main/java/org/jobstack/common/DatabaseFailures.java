package org.jobstack.common;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * What a failure says about the database: unreachable (stopped, restarting, connections cut, pool
 * waiting past its timeout) or unable to write its own files (a full disk). Requests answer 503
 * for these, and background work logs one line and tries again.
 */
public final class DatabaseFailures {

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

    private DatabaseFailures() {}

    /**
     * Whether the database is unreachable or cannot write, anywhere in the chain (causes and
     * suppressed: a failed rollback on the broken connection hides the first failure): a
     * connection-class SQL state ({@code 08…}), PostgreSQL shutting down or starting ({@code
     * 57P01}-{@code 57P03}), an I/O error under a database error.
     */
    public static boolean unavailable(Throwable failure) {
        return unavailable(failure, 0);
    }

    private static boolean unavailable(Throwable t, int depth) {
        if (t == null || depth > 20) {
            return false;
        }
        if (CAUSES.stream().anyMatch(c -> c.isInstance(t))
                || t.getClass().getName().equals(HIBERNATE_CONNECTION)
                || (t instanceof SQLException sql
                        && (writeFailed(sql)
                                || connectionState(sql.getSQLState())
                                || HIKARI_CLOSED.equals(sql.getMessage())))) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (unavailable(suppressed, depth + 1)) {
                return true;
            }
        }
        return t.getCause() != t && unavailable(t.getCause(), depth + 1);
    }

    /** Whether a write to the database's own files failed, somewhere in the chain. */
    public static boolean cannotWrite(Throwable failure) {
        return anyInChain(failure, t -> t instanceof SQLException sql && writeFailed(sql));
    }

    /** Whether {@code test} holds for the failure or one of its causes. */
    static boolean anyInChain(Throwable failure, Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
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
        return !connectionState(sql.getSQLState()) && anyInChain(sql.getCause(), t -> t instanceof IOException);
    }

    private static boolean connectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }
}
