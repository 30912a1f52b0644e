package org.jobstack.node;

import java.time.Instant;
import java.util.List;
import org.jobstack.common.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Node rows: who shares the database, and when each last proved it was alive. */
@Repository
public class NodeStore {

    private final JdbcClient jdbc;

    public NodeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void register(String id, String host, Instant now) {
        int updated = jdbc.sql("UPDATE node SET host = ?, started_at = ?, heartbeat_at = ? WHERE id = ?")
                .param(host)
                .param(Sql.ts(now))
                .param(Sql.ts(now))
                .param(id)
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO node (id, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?)")
                    .param(id)
                    .param(host)
                    .param(Sql.ts(now))
                    .param(Sql.ts(now))
                    .update();
        }
    }

    public boolean heartbeat(String id, Instant now) {
        return jdbc.sql("UPDATE node SET heartbeat_at = ? WHERE id = ?")
                        .param(Sql.ts(now))
                        .param(id)
                        .update()
                == 1;
    }

    /** A node sharing the database: when it started, when it last proved it was alive. */
    public record NodeRow(String id, String host, Instant startedAt, Instant heartbeatAt) {}

    public List<NodeRow> list() {
        return jdbc.sql("SELECT id, host, started_at, heartbeat_at FROM node ORDER BY id")
                .query((rs, i) -> new NodeRow(
                        rs.getString("id"),
                        rs.getString("host"),
                        Sql.instant(rs, "started_at"),
                        Sql.instant(rs, "heartbeat_at")))
                .list();
    }

    public void remove(String id) {
        jdbc.sql("DELETE FROM node WHERE id = ?").param(id).update();
    }
}
