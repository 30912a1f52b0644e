package org.jobstack.node;

import static org.jobstack.common.Sql.ts;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Paused worker types ({@code worker_pause}): one row per paused worker, with who paused it and when. */
@Repository
class WorkerPauseStore {

    private final JdbcClient jdbc;

    WorkerPauseStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<String> paused() {
        return jdbc.sql("SELECT worker FROM worker_pause").query(String.class).list();
    }

    void pause(String worker, Instant at, String by) {
        resume(worker);
        jdbc.sql("INSERT INTO worker_pause (worker, paused_at, paused_by) VALUES (?, ?, ?)")
                .params(worker, ts(at), by)
                .update();
    }

    void resume(String worker) {
        jdbc.sql("DELETE FROM worker_pause WHERE worker = ?").param(worker).update();
    }
}
