package org.jobstack.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows written fast into one table of a connection whose auto-commit is off: PostgreSQL's {@code
 * COPY … FROM STDIN} (text format), or elsewhere (H2) a prepared {@code INSERT} sent in batches of
 * 1 000 rows and committed every 50 000 (H2's file grows without bound under one transaction of
 * millions of rows). Values are strings, numbers, booleans, {@link Instant}s or null. {@link
 * #close()} sends what is left; the caller commits.
 */
abstract class Rows implements AutoCloseable {

    private Rows() {}

    static Rows into(Connection connection, String table, String... columns) throws SQLException {
        String names = String.join(", ", columns);
        if (connection.isWrapperFor(PGConnection.class)) {
            return new Copy(connection, "COPY " + table + " (" + names + ") FROM STDIN");
        }
        return new Insert(
                connection,
                "INSERT INTO " + table + " (" + names + ") VALUES (" + "?, ".repeat(columns.length - 1) + "?)");
    }

    abstract void add(Object... values) throws SQLException;

    @Override
    public abstract void close() throws SQLException;

    private static final class Copy extends Rows {

        private static final int FLUSH_CHARS = 1 << 20;
        private final CopyIn copy;
        private final StringBuilder buffer = new StringBuilder(FLUSH_CHARS + 4096);

        Copy(Connection connection, String sql) throws SQLException {
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        }

        @Override
        void add(Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    buffer.append('\t');
                }
                Object v = values[i];
                if (v == null) {
                    buffer.append("\\N");
                } else if (v instanceof Boolean b) {
                    buffer.append(b ? 't' : 'f');
                } else {
                    escape(v.toString());
                }
            }
            buffer.append('\n');
            if (buffer.length() > FLUSH_CHARS) {
                flush();
            }
        }

        private void escape(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '\\' -> buffer.append("\\\\");
                    case '\t' -> buffer.append("\\t");
                    case '\n' -> buffer.append("\\n");
                    case '\r' -> buffer.append("\\r");
                    default -> buffer.append(c);
                }
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }

        @Override
        public void close() throws SQLException {
            flush();
            copy.endCopy();
        }
    }

    private static final class Insert extends Rows {

        private static final int BATCH = 1_000;
        private static final int COMMIT = 50_000;
        private final Connection connection;
        private final PreparedStatement statement;
        private int rows;

        Insert(Connection connection, String sql) throws SQLException {
            this.connection = connection;
            this.statement = connection.prepareStatement(sql);
        }

        @Override
        void add(Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i] instanceof Instant at ? Timestamp.from(at) : values[i]);
            }
            statement.addBatch();
            rows++;
            if (rows % BATCH == 0) {
                statement.executeBatch();
            }
            if (rows % COMMIT == 0) {
                connection.commit();
            }
        }

        @Override
        public void close() throws SQLException {
            statement.executeBatch();
            statement.close();
        }
    }
}
