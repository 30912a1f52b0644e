package org.jobstack.common;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The database in use, for the few statements whose best form differs (see each store). */
public enum Database {
    H2, POSTGRESQL;

    public static Database of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            if (product.equalsIgnoreCase("H2")) {
                return H2;
            }
            if (product.equalsIgnoreCase("PostgreSQL")) {
                return POSTGRESQL;
            }
            throw new IllegalStateException("Unsupported database " + product + " (use H2 or PostgreSQL)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
        }
    }

    /**
     * Wraps "select the ids of the first rows" into "lock those rows, skipping locked ones". On H2,
     * {@code ORDER BY … LIMIT n FOR UPDATE} locks every row matching the WHERE clause, not only the
     * n returned, so H2 picks the ids first and locks only those, repeating the condition in the
     * locking query: H2 checks it again on the row version it locks, so a row another transaction
     * has just claimed and changed is skipped rather than claimed twice. PostgreSQL locks inside the
     * ordered, limited scan and re-evaluates the condition on the locked row itself.
     *
     * @param table   the table
     * @param key     its primary key column
     * @param where   the claim condition
     * @param orderBy the columns giving the claim order
     * @param limit   the limit expression (a parameter)
     */
    public String lockFirst(String table, String key, String where, String orderBy, String limit) {
        return switch (this) {
            case H2 -> "SELECT * FROM " + table + " WHERE " + key + " IN (SELECT " + key + " FROM " + table + " WHERE " + where
                    + " ORDER BY " + orderBy + " LIMIT " + limit + ") AND " + where + " ORDER BY " + orderBy
                    + " FOR UPDATE SKIP LOCKED";
            case POSTGRESQL -> "SELECT * FROM " + table + " WHERE " + where + " ORDER BY " + orderBy + " LIMIT " + limit
                    + " FOR UPDATE SKIP LOCKED";
        };
    }
}
