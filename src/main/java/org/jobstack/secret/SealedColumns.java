package org.jobstack.secret;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every column holding a secret, for the passes that encrypt clear values and re-encrypt under a new
 * key. A value is rewritten only if unchanged since it was read, so a concurrent write wins.
 */
@Repository
class SealedColumns {

    /** A secret column; its clear values (written before encryption existed) are base64. */
    record Column(String table, String idColumn, String column) {
        String purpose() {
            return table + "." + column;
        }
    }

    static final List<Column> ALL = List.of(new Column("instance", "domain", "token_secret"));

    private final JdbcClient jdbc;

    SealedColumns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Value(Column column, String id, String value) {}

    /** Every value of every secret column. */
    List<Value> values() {
        return ALL.stream()
                .flatMap(c -> jdbc
                        .sql("SELECT " + c.idColumn() + ", " + c.column() + " FROM " + c.table())
                        .query((rs, n) -> new Value(c, rs.getString(1), rs.getString(2)))
                        .list()
                        .stream())
                .toList();
    }

    /** Replaces {@code old} by {@code replacement}; false when the value changed meanwhile. */
    boolean rewrite(Value old, String replacement) {
        Column c = old.column();
        return jdbc.sql("UPDATE " + c.table() + " SET " + c.column() + " = ? WHERE " + c.idColumn() + " = ? AND "
                                + c.column() + " = ?")
                        .params(replacement, old.id(), old.value())
                        .update()
                == 1;
    }
}
