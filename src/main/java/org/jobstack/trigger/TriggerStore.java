package org.jobstack.trigger;

import static org.jobstack.common.Sql.ts;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of scheduling: claiming due time triggers, and locking a trigger to serialise its occurrences. */
@Repository
class TriggerStore {

    private static final Database.ClaimQuery DUE = new Database.ClaimQuery("job_trigger", "id",
            "next_run_at <= :now AND paused = FALSE", "next_run_at");

    private final JdbcClient jdbc;
    private final Database database;

    TriggerStore(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.database = Database.of(dataSource);
    }

    /** Locks up to {@code limit} due time triggers (skipping those another node holds); their ids, due first. */
    List<String> claimDue(Instant now, int limit) {
        return database.claim(jdbc, DUE, java.util.Map.of("now", ts(now)), limit, (rs, n) -> rs.getString("id"));
    }

    /** Locks a trigger row until the end of the transaction; false when it no longer exists. */
    boolean lock(String triggerId) {
        return !jdbc.sql("SELECT id FROM job_trigger WHERE id = ? FOR UPDATE").param(triggerId)
                .query(String.class).list().isEmpty();
    }

    /** Locks a trigger row unless another transaction holds it; false when held or gone. */
    boolean tryLock(String triggerId) {
        return !jdbc.sql("SELECT id FROM job_trigger WHERE id = ? FOR UPDATE SKIP LOCKED").param(triggerId)
                .query(String.class).list().isEmpty();
    }

    /** When the next time trigger or debounce window is due, if any. */
    Instant nextDue() {
        return jdbc.sql("""
                SELECT MIN(t) FROM (
                    SELECT MIN(next_run_at) AS t FROM job_trigger WHERE paused = FALSE
                    UNION ALL SELECT MIN(w.closes_at) AS t FROM debounce_window w
                        JOIN job_trigger t ON t.id = w.trigger_id WHERE t.paused = FALSE) due""")
                .query((rs, n) -> {
                    java.time.OffsetDateTime t = rs.getObject(1, java.time.OffsetDateTime.class);
                    return t == null ? null : t.toInstant();
                }).optional().orElse(null);
    }
}
