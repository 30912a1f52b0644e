package org.jobstack.job;

import static org.jobstack.common.Sql.instant;
import static org.jobstack.common.Sql.ts;

import java.time.Instant;
import java.util.List;
import org.jobstack.common.PageCursor;
import org.jobstack.common.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Finished jobs read from the oldest for the retention purge, and their deletion (their logs and
 * attempts go with them). Reads follow the {@code job_recent} index; each call is its own short
 * transaction.
 */
@Repository
class FinishedJobs {

    /** What the purge needs to know of a job. */
    record Finished(String id, String worker, JobState state, Instant queuedAt, Instant finishedAt) {

        PageCursor position() {
            return new PageCursor(queuedAt, id);
        }
    }

    private final JdbcClient jdbc;

    FinishedJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} finished jobs queued before {@code before}, after {@code after}, oldest first. */
    List<Finished> oldest(PageCursor after, Instant before, int limit) {
        String from = Sql.after(after, "queued_at", false);
        return jdbc.sql("SELECT id, worker, state, queued_at, finished_at FROM job WHERE queued_at < :before" + from
                        + " AND state IN ('done', 'errored') ORDER BY queued_at, id LIMIT :limit")
                .param("before", ts(before))
                .param("at", after == null ? null : ts(after.at()))
                .param("id", after == null ? null : after.id())
                .param("limit", limit)
                .query((rs, n) -> new Finished(
                        rs.getString("id"),
                        rs.getString("worker"),
                        JobState.of(rs.getString("state")),
                        instant(rs, "queued_at"),
                        instant(rs, "finished_at")))
                .list();
    }

    /**
     * Deletes those of the jobs that are still in {@code state} and finished before {@code
     * cutoff} (an operator may have retried one since it was read).
     */
    int delete(List<String> ids, JobState state, Instant cutoff) {
        return jdbc.sql("DELETE FROM job WHERE id IN (:ids) AND state = :state AND finished_at < :cutoff")
                .param("ids", ids)
                .param("state", state.value())
                .param("cutoff", ts(cutoff))
                .update();
    }
}
