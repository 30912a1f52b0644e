package org.jobstack.common;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.dao.ConcurrencyFailureException;

/**
 * Transactions that lock several rows in an order their input decides (a batch of events firing
 * several triggers) can deadlock with one another; the database then rolls one back. Such a
 * transaction is all or nothing, so it is run again after a short random pause.
 */
public final class LockConflicts {

    /**
     * PostgreSQL's {@code lock_timeout} ran out ({@link Database#boundLockWaits}): the wait was
     * already as long as the caller allows, so it is not run again.
     */
    private static final String LOCK_WAIT_ENDED = "55P03";

    /**
     * Deadlock detected (PostgreSQL), serialization failure / deadlock victim (H2 and the standard),
     * and a lock wait that ran out: plain JDBC leaves PostgreSQL's lock timeout uncategorised.
     */
    private static final Set<String> STATES = Set.of("40P01", "40001", LOCK_WAIT_ENDED);

    private LockConflicts() {}

    /**
     * Runs {@code transaction} (which must open and commit its own transaction) up to {@code
     * attempts} times while it fails on a lock conflict; the last conflict is thrown.
     */
    public static <T> T retry(int attempts, Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !causedBy(e) || lockWaitEnded(e)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** Whether a lock conflict (deadlock, serialization failure, a lock wait that ran out) is anywhere in the cause chain. */
    public static boolean causedBy(Throwable failure) {
        return DatabaseFailures.anyInChain(
                failure,
                t -> t instanceof ConcurrencyFailureException
                        || (t instanceof SQLException sql && STATES.contains(sql.getSQLState())));
    }

    private static boolean lockWaitEnded(Throwable failure) {
        return DatabaseFailures.anyInChain(
                failure, t -> t instanceof SQLException sql && LOCK_WAIT_ENDED.equals(sql.getSQLState()));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt + 6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a transaction", e);
        }
    }
}
