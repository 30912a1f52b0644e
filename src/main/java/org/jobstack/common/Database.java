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
     * n returned, so H2 picks the ids first and locks only those; PostgreSQL locks inside the
     * ordered, limited scan.
     *
     * @param table   the table
     * @param where   the claim condition
     * @param orderBy the columns giving the claim order
     * @param limit   the limit expression (a parameter)
     */
    public String lockFirst(String table, String where, String orderBy, String limit) {
        return switch (this) {
            case H2 -> "SELECT * FROM " + table + " WHERE id IN (SELECT id FROM " + table + " WHERE " + where
                    + " ORDER BY " + orderBy + " LIMIT " + limit + ") ORDER BY " + orderBy + " FOR UPDATE SKIP LOCKED";
            case POSTGRESQL -> "SELECT * FROM " + table + " WHERE " + where + " ORDER BY " + orderBy + " LIMIT " + limit
                    + " FOR UPDATE SKIP LOCKED";
        };
    }
}
