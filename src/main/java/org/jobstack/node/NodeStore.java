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

    /** Registers a starting node (again after a restart): active, with the version it runs. */
    public void register(String id, String host, String version, Instant now) {
        int updated = jdbc.sql("""
                        UPDATE node SET host = ?, version = ?, started_at = ?, heartbeat_at = ?, draining = FALSE
                        WHERE id = ?""")
                .params(host, version, Sql.ts(now), Sql.ts(now), id)
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO node (id, host, version, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)")
                    .params(id, host, version, Sql.ts(now), Sql.ts(now))
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
    public record NodeRow(
            String id, String host, String version, Instant startedAt, Instant heartbeatAt, boolean draining) {}

    public List<NodeRow> list() {
        return jdbc.sql("SELECT id, host, version, started_at, heartbeat_at, draining FROM node ORDER BY id")
                .query((rs, i) -> new NodeRow(
                        rs.getString("id"),
                        rs.getString("host"),
                        rs.getString("version"),
                        Sql.instant(rs, "started_at"),
                        Sql.instant(rs, "heartbeat_at"),
                        rs.getBoolean("draining")))
                .list();
    }

    /** Whether an operator drained the node; false when it has no row. */
    public boolean isDraining(String id) {
        return jdbc.sql("SELECT draining FROM node WHERE id = ?")
                .param(id)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /** Drains or undrains a node; false when there is no such node. */
    public boolean setDraining(String id, boolean draining) {
        return jdbc.sql("UPDATE node SET draining = ? WHERE id = ?")
                        .params(draining, id)
                        .update()
                == 1;
    }

    public void remove(String id) {
        jdbc.sql("DELETE FROM node WHERE id = ?").param(id).update();
    }
}
