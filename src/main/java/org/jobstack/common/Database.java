package org.jobstack.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The database in use, for the few statements whose best form differs (see {@link #claim}). */
public enum Database {
    H2,
    POSTGRESQL;

    public static Database of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return of(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
        }
    }

    public static Database of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if (product.equalsIgnoreCase("H2")) {
            return H2;
        }
        if (product.equalsIgnoreCase("PostgreSQL")) {
            return POSTGRESQL;
        }
        throw new IllegalStateException("Unsupported database " + product + " (use H2 or PostgreSQL)");
    }

    /**
     * Lets the current transaction commit without waiting for its WAL to reach the disk
     * (PostgreSQL {@code synchronous_commit = off}, for this transaction only). Only for writes
     * that a database crash may undo harmlessly: a lost claim puts a job back in the queue, where
     * it is claimed again, as after a crash of Jobstack itself. The next synchronous commit makes
     * it durable anyway, WAL being written in order. H2 has no such setting.
     */
    public void commitWithoutWaitingForDisk(JdbcClient jdbc) {
        if (this == POSTGRESQL) {
            jdbc.sql("SET LOCAL synchronous_commit = off").update();
        }
    }

    /**
     * The clause that locks the rows a {@code SELECT} reads until the transaction ends, against
     * each other's writers and lockers. On PostgreSQL it leaves the key alone ({@code FOR NO KEY
     * UPDATE}), so rows inserted meanwhile that refer to a locked row (their foreign key check
     * takes a key share lock) do not wait for it.
     */
    public String rowLock() {
        return this == POSTGRESQL ? " FOR NO KEY UPDATE" : " FOR UPDATE";
    }

    /**
     * Makes every lock wait of the current transaction end with a lock failure after {@code wait}
     * (PostgreSQL {@code lock_timeout}, for this transaction only), which requests answer with a
     * 503 and a short Retry-After, instead of waiting until the driver's socket timeout cuts the
     * connection. H2 bounds every lock wait already (its {@code LOCK_TIMEOUT}).
     */
    public void boundLockWaits(JdbcClient jdbc, Duration wait) {
        if (this == POSTGRESQL) {
            jdbc.sql("SET LOCAL lock_timeout = " + wait.toMillis()).update();
        }
    }

    /**
     * Rows to claim: those of {@code table} matching {@code where}, first by {@code orderBy}. The
     * ORDER BY should list the claim index's columns, equality-bound ones first, so that the
     * database reads the index in order and stops after the limit.
     */
    public record ClaimQuery(String table, String key, String where, String orderBy) {}

    /**
     * Locks up to {@code limit} rows of the query (in the current transaction), skipping rows that
     * other transactions hold. PostgreSQL does it in one ordered, limited {@code FOR UPDATE SKIP
     * LOCKED} scan, re-evaluating the condition on each row it locks. H2 would lock every row
     * matching the condition with that form, and loses the index order inside a subquery, so on
     * H2 the first keys are read through the index, then only those rows are locked through the
     * primary key, the condition checked again on the versions locked: a row another node just
     * claimed and changed is skipped, never claimed twice. H2's locking read goes through {@code
     * locking}, which prepares it once per connection and padded key count.
     */
    public <T> List<T> claim(
            JdbcClient jdbc, LockingReads locking, ClaimQuery q, Map<String, ?> params, int limit, RowMapper<T> rows) {
        String where = " WHERE " + q.where() + " ORDER BY " + q.orderBy();
        if (this == POSTGRESQL) {
            return jdbc.sql("SELECT * FROM " + q.table() + where + " LIMIT :limit FOR UPDATE SKIP LOCKED")
                    .params(params)
                    .param("limit", limit)
                    .query(rows)
                    .list();
        }
        List<Object> keys = jdbc.sql(keysOf(q))
                .params(params)
                .param("limit", limit)
                .query((rs, n) -> rs.getObject(1))
                .list();
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<String, Object> withKeys = new HashMap<>(params);
        withKeys.put("keys", paddedToAPowerOfTwo(keys));
        return locking.list(
                "SELECT * FROM " + q.table() + " USE INDEX (\"" + primaryKeyIndex(jdbc, q.table()) + "\") WHERE "
                        + q.key() + " IN (:keys) AND " + q.where() + " ORDER BY " + q.orderBy()
                        + " FOR UPDATE SKIP LOCKED",
                withKeys,
                rows);
    }

    /**
     * {@code keys} and its last key again up to the next power of two: {@code IN (a, b, b, b)} is
     * {@code IN (a, b)}, and a connection keeps a few statement texts rather than one per count.
     */
    static List<Object> paddedToAPowerOfTwo(List<Object> keys) {
        int size = Integer.highestOneBit(keys.size());
        if (size == keys.size()) {
            return keys;
        }
        List<Object> padded = new ArrayList<>(keys);
        while (padded.size() < size * 2) {
            padded.add(keys.get(keys.size() - 1));
        }
        return padded;
    }

    /** H2's first statement of {@link #claim}: the keys of the first rows, in order, read through the index. */
    public static String keysOf(ClaimQuery q) {
        return "SELECT " + q.key() + " FROM " + q.table() + " WHERE " + q.where() + " ORDER BY " + q.orderBy()
                + " LIMIT :limit";
    }

    private static final Map<String, String> PRIMARY_KEY_INDEXES = new ConcurrentHashMap<>();

    /** H2 names primary-key indexes itself; without the hint it would pick the claim index and scan it. */
    private static String primaryKeyIndex(JdbcClient jdbc, String table) {
        return PRIMARY_KEY_INDEXES.computeIfAbsent(
                table,
                t -> jdbc.sql("""
                SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES
                WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = ? AND INDEX_TYPE_NAME = 'PRIMARY KEY'""")
                        .param(t.toUpperCase(Locale.ROOT))
                        .query(String.class)
                        .single());
    }
}
