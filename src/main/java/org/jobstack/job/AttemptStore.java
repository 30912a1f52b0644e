package org.jobstack.job;

import static org.jobstack.common.Sql.instant;
import static org.jobstack.common.Sql.ts;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Attempt rows ({@code job_attempt}): one per attempt that did not end its job done, written with
 * the outcome of the attempt; deleted with their job.
 */
@Repository
public class AttemptStore {

    private static final String INSERT = """
            INSERT INTO job_attempt (job_id, attempt, node, started_at, finished_at, outcome, exit_code, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    public AttemptStore(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    /** An attempt of a job, as it ended. */
    public record NewAttempt(String jobId, AttemptRecord attempt) {}

    public void insert(NewAttempt row) {
        insertAll(List.of(row));
    }

    public void insertAll(List<NewAttempt> rows) {
        if (rows.isEmpty()) {
            return;
        }
        batches.batchUpdate(
                INSERT,
                rows.stream()
                        .map(r -> new Object[] {
                            r.jobId(),
                            r.attempt().attempt(),
                            r.attempt().node(),
                            ts(r.attempt().startedAt()),
                            ts(r.attempt().finishedAt()),
                            r.attempt().outcome(),
                            r.attempt().exitCode(),
                            r.attempt().error()
                        })
                        .toList());
    }

    /** The recorded attempts of a job, in the order they ended. */
    public List<AttemptRecord> of(String jobId) {
        return jdbc.sql("""
                SELECT attempt, node, started_at, finished_at, outcome, exit_code, error FROM job_attempt
                WHERE job_id = ? ORDER BY finished_at, attempt""")
                .param(jobId)
                .query((rs, i) -> new AttemptRecord(
                        rs.getInt("attempt"),
                        rs.getString("node"),
                        instant(rs, "started_at"),
                        instant(rs, "finished_at"),
                        rs.getString("outcome"),
                        JobStore.exitCode(rs),
                        rs.getString("error")))
                .list();
    }
}
