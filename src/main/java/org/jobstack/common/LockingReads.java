package org.jobstack.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreatorFactory;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Runs H2's row-locking reads ({@code SELECT … FOR UPDATE}) through statements prepared once per
 * connection and SQL text. H2 keeps the parsed form of a session's statements for reuse, except
 * locking queries, which it parses again every time: that was about half of a job claim's CPU. The
 * statements are prepared on the pooled connection itself, unwrapped from the pool's proxy (which
 * closes a connection's statements each time it goes back to the pool), and run in the caller's
 * transaction. A connection's statements are closed and forgotten after an error, and forgotten
 * once it is closed (looked at whenever another connection comes). For a few fixed texts (the
 * claims'): each text stays prepared for the life of its connection. An error of the statement
 * itself does not pass the pool's proxy; a database closed under it (see ClosedDatabaseEviction)
 * still gets the connection evicted, by the transaction's rollback through the proxy.
 */
public final class LockingReads {

    private final DataSource dataSource;
    private final SQLExceptionTranslator translator;
    private final Map<String, ParsedSql> parsed = new ConcurrentHashMap<>();
    /** Statements by connection (its identity), then by SQL text; guarded by itself. */
    private final Map<Connection, Map<String, PreparedStatement>> prepared = new IdentityHashMap<>();

    public LockingReads(DataSource dataSource) {
        this.dataSource = dataSource;
        // the translator JdbcClient's own statements get, so that callers see the same exceptions
        this.translator = new JdbcTemplate(dataSource).getExceptionTranslator();
    }

    /** The rows of {@code sql} (named parameters, as {@code JdbcClient} takes them; lists expanded). */
    public <T> List<T> list(String sql, Map<String, ?> params, RowMapper<T> rows) {
        MapSqlParameterSource source = new MapSqlParameterSource(params);
        ParsedSql named = parsed.computeIfAbsent(sql, NamedParameterUtils::parseSqlStatement);
        String positional = NamedParameterUtils.substituteNamedParameters(named, source);
        var setter = new PreparedStatementCreatorFactory(
                        positional, NamedParameterUtils.buildSqlParameterList(named, source))
                .newPreparedStatementSetter(NamedParameterUtils.buildValueArray(named, source, null));
        Connection connection = DataSourceUtils.getConnection(dataSource);
        Connection own = null;
        try {
            own = connection.unwrap(Connection.class);
            PreparedStatement statement = statement(own, positional);
            DataSourceUtils.applyTimeout(statement, dataSource, 0);
            setter.setValues(statement);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rows.mapRow(rs, out.size()));
                }
                return out;
            }
        } catch (SQLException e) {
            forget(own);
            throw translate(positional, e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    private PreparedStatement statement(Connection connection, String sql) throws SQLException {
        Map<String, PreparedStatement> statements;
        synchronized (prepared) {
            statements = prepared.get(connection);
            if (statements == null) {
                prepared.keySet().removeIf(LockingReads::closed);
                statements = new HashMap<>();
                prepared.put(connection, statements);
            }
        }
        // one thread at a time holds a connection, the pool ordering each hand-over: no lock needed
        PreparedStatement statement = statements.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Closes and forgets a connection's statements after an error, which may have been the connection's own. */
    private void forget(Connection connection) {
        Map<String, PreparedStatement> statements;
        synchronized (prepared) {
            statements = connection == null ? null : prepared.remove(connection);
        }
        if (statements != null) {
            for (PreparedStatement statement : statements.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // the connection is gone, or going
                }
            }
        }
    }

    /** Connections known, for tests. */
    int connections() {
        synchronized (prepared) {
            return prepared.size();
        }
    }

    private static boolean closed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private RuntimeException translate(String sql, SQLException e) {
        RuntimeException translated = translator.translate("locking read", sql, e);
        return translated != null ? translated : new UncategorizedSQLException("locking read", sql, e);
    }
}
