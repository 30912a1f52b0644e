package org.jobstack.job;

import static org.jobstack.common.Sql.instant;
import static org.jobstack.common.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.jobstack.common.PageCursor;
import org.jobstack.common.Sql;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The durable queue: job rows, claimed through {@link JobLeases}. Every state change of a running
 * job is guarded by its lease owner, so a node that lost its lease cannot overwrite what another
 * node decided.
 */
@Repository
public class JobStore {

    private static final String INSERT = """
            INSERT INTO job (id, domain, worker, trigger_id, message, event, payload, manual, debounced,
                max_exec_count, timeout_ms, state, attempts, queued_at, started_at, attempt_started_at, finished_at,
                run_at, sort_at, error, lease_owner, app)
            VALUES (:id, :domain, :worker, :triggerId, :message, :event, :payload, :manual, :debounced,
                :maxExecCount, :timeoutMs, :state, :attempts, :queuedAt, :startedAt, :attemptStartedAt, :finishedAt,
                :runAt, :sortAt, :error, :leaseOwner, :app)""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final Database database;

    public JobStore(JdbcClient jdbc, JdbcTemplate batches, DataSource dataSource) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.database = Database.of(dataSource);
    }

    /**
     * Stores a new job; {@code sortAt} orders it among the queued jobs of its worker. A job stored
     * leased to a node (started at once, see {@link ImmediateStarts}) starts its first attempt now.
     */
    public void insert(Job job, Instant sortAt) {
        Integer max = job.options().maxExecCount();
        Duration timeout = job.options().timeout();
        jdbc.sql(INSERT)
                .param("id", job.id())
                .param("domain", job.domain())
                .param("worker", job.worker())
                .param("triggerId", job.triggerId())
                .param("message", job.message())
                .param("event", job.event())
                .param("payload", job.payload())
                .param("manual", job.manual())
                .param("debounced", job.debounced())
                .param("maxExecCount", max)
                .param("timeoutMs", timeout == null ? null : timeout.toMillis())
                .param("state", job.state().value())
                .param("attempts", job.attempts())
                .param("queuedAt", ts(job.queuedAt()))
                .param("startedAt", ts(job.startedAt()))
                .param("attemptStartedAt", job.leaseOwner() == null ? null : ts(job.startedAt()))
                .param("finishedAt", ts(job.finishedAt()))
                .param("runAt", ts(job.runAt()))
                .param("sortAt", ts(sortAt))
                .param("error", job.error())
                .param("leaseOwner", job.leaseOwner())
                .param("app", JobApps.of(job.worker(), job.message()))
                .update();
    }

    public Optional<Job> find(String id) {
        return jdbc.sql("SELECT * FROM job WHERE id = ?")
                .param(id)
                .query(JobStore::row)
                .optional();
    }

    /**
     * The newest jobs of a trigger first. Ordered by the whole index (trigger_id, queued_at): H2
     * then reads only {@code limit} rows of the index instead of sorting all of the trigger's jobs.
     */
    public List<Job> findByTrigger(String triggerId, int limit) {
        return findByTrigger(triggerId, null, limit);
    }

    /** A trigger's jobs, newest first, after {@code after} (in that order) when given. */
    public List<Job> findByTrigger(String triggerId, PageCursor after, int limit) {
        String from = Sql.after(after, "queued_at", true);
        return jdbc.sql("SELECT * FROM job WHERE trigger_id = :trigger" + from
                        + " ORDER BY trigger_id DESC, queued_at DESC, id DESC LIMIT :limit")
                .param("trigger", triggerId)
                .param("at", after == null ? null : ts(after.at()))
                .param("id", after == null ? null : after.id())
                .param("limit", limit)
                .query(JobStore::row)
                .list();
    }

    /** What a trigger's state takes from each of its jobs ({@link #newestOfTrigger}). */
    public record TriggerJob(String id, JobState state, Instant startedAt, String error, boolean manual) {}

    /**
     * A trigger's newest jobs, in the order of {@link #findByTrigger}, with only what its state takes
     * from them: the state is refreshed before every commit that queues a job of the trigger (each
     * group of webhook calls), where reading and mapping whole jobs was a third of the commit's work.
     */
    public List<TriggerJob> newestOfTrigger(String triggerId, int limit) {
        return jdbc.sql("""
                SELECT id, state, started_at, error, manual FROM job WHERE trigger_id = ?
                ORDER BY trigger_id DESC, queued_at DESC, id DESC LIMIT ?""")
                .params(triggerId, limit)
                .query((rs, n) -> new TriggerJob(
                        rs.getString("id"),
                        JobState.of(rs.getString("state")),
                        instant(rs, "started_at"),
                        rs.getString("error"),
                        rs.getBoolean("manual")))
                .list();
    }

    /**
     * Ends a leased job (keeping the node that ran it as its {@code lease_owner}); false when the
     * lease was lost meanwhile (another node took over).
     */
    public boolean finish(String id, String owner, JobState state, String error, Instant now) {
        return jdbc.sql("""
                UPDATE job SET state = :state, finished_at = :now, error = :error
                WHERE id = :id AND state = 'running' AND lease_owner = :owner""")
                        .param("state", state.value())
                        .param("now", ts(now))
                        .param("error", error)
                        .param("id", id)
                        .param("owner", owner)
                        .update()
                == 1;
    }

    /** Puts a leased job back in the queue, due at {@code runAt}; {@code refund} gives the attempt back. */
    public boolean requeue(String id, String owner, Instant runAt, String error, boolean refund) {
        return jdbc.sql("""
                UPDATE job SET state = 'queued', run_at = :runAt, error = :error, lease_owner = NULL,
                    attempts = attempts - :refund
                WHERE id = :id AND state = 'running' AND lease_owner = :owner""")
                        .param("runAt", ts(runAt))
                        .param("error", error)
                        .param("refund", refund ? 1 : 0)
                        .param("id", id)
                        .param("owner", owner)
                        .update()
                == 1;
    }

    /**
     * Queues an errored job again with a full set of attempts (an operator's retry); false when
     * it is not errored any more.
     */
    public boolean retry(String id, Instant now, Instant sortAt) {
        return jdbc.sql("""
                UPDATE job SET state = 'queued', attempt_base = attempts, error = NULL, finished_at = NULL,
                    run_at = ?, sort_at = ?, cancel_requested = FALSE
                WHERE id = ? AND state = 'errored' AND worker <> 'client'""").params(ts(now), ts(sortAt), id).update() == 1;
    }

    /** Deletes a job that is not running (with its log and attempts); false when it is running or gone. */
    public boolean delete(String id) {
        return jdbc.sql("DELETE FROM job WHERE id = ? AND state <> 'running'")
                        .params(id)
                        .update()
                == 1;
    }

    /** Completes a job of the client pseudo-worker; false when it is already finished. */
    public boolean completeClientJob(String id, JobState state, String error, Instant now) {
        return jdbc.sql("""
                UPDATE job SET state = :state, finished_at = :now, error = :error
                WHERE id = :id AND worker = 'client' AND state IN ('queued', 'running')""")
                        .param("state", state.value())
                        .param("now", ts(now))
                        .param("error", error)
                        .param("id", id)
                        .update()
                == 1;
    }

    /** Queued and running jobs of a worker on an instance, oldest first, after {@code after} when given. */
    public List<Job> queuedOrRunning(String domain, String worker, PageCursor after, int limit) {
        return jdbc.sql(queuedOrRunningSql(database, after))
                .param("worker", worker)
                .param("domain", domain)
                .param("at", after == null ? null : ts(after.at()))
                .param("id", after == null ? null : after.id())
                .param("limit", limit)
                .query(JobStore::row)
                .list();
    }

    /**
     * The query of {@link #queuedOrRunning}: on PostgreSQL, the live jobs index answers it. H2 has
     * no partial index and is told to read job_claim, whose live entries are few: its cost model
     * knows nothing of how rare queued jobs are, and with the statistics of its automatic ANALYZE
     * (the first 1 000 rows, where 100 instances make {@code domain} look selective) it chose
     * job_by_domain, walking every job the instance ever ran (30 000 rows, 50 ms to a second, on
     * each call after any change to the table; docs/benchmarks.md).
     */
    static String queuedOrRunningSql(Database database, PageCursor after) {
        return "SELECT * FROM job" + (database == Database.H2 ? " USE INDEX (job_claim)" : "")
                + " WHERE state IN ('queued', 'running') AND worker = :worker AND domain = :domain"
                + Sql.after(after, "queued_at", false) + " ORDER BY queued_at, id LIMIT :limit";
    }

    /**
     * Deletes finished jobs of an instance queued before {@code before}, of the given workers,
     * keeping the {@code keep} newest of each worker and state; at most {@code chunk} per call.
     */
    public int purge(String domain, List<String> workers, Instant before, int keep, int chunk) {
        return jdbc.sql("""
                DELETE FROM job WHERE id IN (
                    SELECT id FROM (
                        SELECT id, queued_at,
                            ROW_NUMBER() OVER (PARTITION BY worker, state ORDER BY queued_at DESC) AS newest
                        FROM job WHERE domain = :domain AND worker IN (:workers) AND state IN ('done', 'errored')
                    ) ranked WHERE newest > :keep AND queued_at < :before
                    LIMIT :chunk)""")
                .param("domain", domain)
                .param("workers", workers)
                .param("keep", keep)
                .param("before", ts(before))
                .param("chunk", chunk)
                .update();
    }

    /** Errors the client jobs of an instance that have been running since before {@code startedBefore}. */
    public int abandonClientJobs(String domain, Instant startedBefore, Instant now, String error) {
        return jdbc.sql("""
                UPDATE job SET state = 'errored', finished_at = ?, error = ?
                WHERE domain = ? AND worker = 'client' AND state IN ('queued', 'running') AND started_at < ?""").params(ts(now), error, domain, ts(startedBefore)).update();
    }

    /** Errors a queued job at once; false when it is not queued any more. */
    public boolean cancelQueued(String id, String error, Instant now) {
        return jdbc.sql(
                                "UPDATE job SET state = 'errored', finished_at = ?, error = ? WHERE id = ? AND state = 'queued'")
                        .params(ts(now), error, id)
                        .update()
                == 1;
    }

    /** Asks the node running a job to stop it; false when it is not running. */
    public boolean requestCancel(String id, String error) {
        return jdbc.sql("UPDATE job SET cancel_requested = TRUE, error = ? WHERE id = ? AND state = 'running'")
                        .params(error, id)
                        .update()
                == 1;
    }

    /**
     * A cancel asked of a running job, with the error it is to end with (kept in the job's {@code
     * error} until its outcome is written, so that whichever path stops it first gives the reason
     * the caller gave).
     */
    public record CancelRequest(String id, String error) {

        private static final String PREFIX = "cancelled: ";
        /** The reason of a cancel that stated none (a request from a node of an earlier version). */
        public static final String UNSTATED = "cancelled from the API";

        /** The error a job cancelled for {@code reason} ends with. */
        public static String errorOf(String reason) {
            return PREFIX + reason;
        }

        /** The reason to stop its attempt with: the one whose {@link #errorOf error} was stored. */
        public String reason() {
            return error != null && error.startsWith(PREFIX) ? error.substring(PREFIX.length()) : UNSTATED;
        }
    }

    /** Running jobs leased to {@code owner} whose cancel was asked. */
    public List<CancelRequest> cancelRequested(String owner) {
        return jdbc.sql("SELECT id, error FROM job WHERE state = 'running' AND lease_owner = ? AND cancel_requested")
                .param(owner)
                .query((rs, n) -> new CancelRequest(rs.getString("id"), rs.getString("error")))
                .list();
    }

    /** A leased job that ends: done or errored, with its attempt's exit code and start. */
    public record Finish(
            String id,
            String owner,
            JobState state,
            Instant at,
            String error,
            Integer exitCode,
            Instant attemptStartedAt) {}

    /** A leased job put back in the queue, due at {@code runAt}; {@code refund} gives the attempt back. */
    public record Requeue(String id, String owner, Instant runAt, String error, boolean refund) {}

    /**
     * Ends leased jobs in one batch; per job, 1 when written, 0 when its lease was lost meanwhile.
     * A finished job keeps its {@code lease_owner}: the node that ran its last attempt.
     */
    public int[] finishAll(List<Finish> finishes) {
        return batches.batchUpdate(
                """
                UPDATE job SET state = ?, finished_at = ?, error = ?, exit_code = ?, attempt_started_at = ?
                WHERE id = ? AND state = 'running' AND lease_owner = ?""",
                finishes.stream()
                        .map(f -> new Object[] {
                            f.state().value(),
                            ts(f.at()),
                            f.error(),
                            f.exitCode(),
                            ts(f.attemptStartedAt()),
                            f.id(),
                            f.owner()
                        })
                        .toList());
    }

    /** Puts leased jobs back in the queue in one batch; per job, 1 when written, 0 when its lease was lost. */
    public int[] requeueAll(List<Requeue> requeues) {
        return batches.batchUpdate(
                """
                UPDATE job SET state = 'queued', run_at = ?, error = ?, lease_owner = NULL, attempts = attempts - ?
                WHERE id = ? AND state = 'running' AND lease_owner = ?""",
                requeues.stream()
                        .map(r -> new Object[] {ts(r.runAt()), r.error(), r.refund() ? 1 : 0, r.id(), r.owner()})
                        .toList());
    }

    /** The attempt that ended a job done, told by the job row itself (no attempt row is written for it). */
    public Optional<AttemptRecord> doneAttempt(String id) {
        return jdbc.sql("""
                SELECT attempts, lease_owner, attempt_started_at, finished_at, exit_code FROM job
                WHERE id = ? AND state = 'done'""")
                .param(id)
                .query((rs, i) -> new AttemptRecord(
                        rs.getInt("attempts"),
                        rs.getString("lease_owner"),
                        instant(rs, "attempt_started_at"),
                        instant(rs, "finished_at"),
                        "done",
                        exitCode(rs),
                        null))
                .optional();
    }

    static Integer exitCode(ResultSet rs) throws SQLException {
        int code = rs.getInt("exit_code");
        return rs.wasNull() ? null : code;
    }

    static Job row(ResultSet rs, int rowNum) throws SQLException {
        long timeoutMs = rs.getLong("timeout_ms");
        Duration timeout = rs.wasNull() ? null : Duration.ofMillis(timeoutMs);
        int max = rs.getInt("max_exec_count");
        Integer maxExecCount = rs.wasNull() ? null : max;
        JobRequest request = JobRequest.to(rs.getString("domain"), rs.getString("worker"))
                .trigger(rs.getString("trigger_id"))
                .message(rs.getString("message"))
                .event(rs.getString("event"))
                .payload(rs.getString("payload"))
                .manual(rs.getBoolean("manual"))
                .debounced(rs.getBoolean("debounced"))
                .options(new JobOptions(maxExecCount, timeout))
                .build();
        return new Job(
                rs.getString("id"),
                request,
                JobState.of(rs.getString("state")),
                rs.getInt("attempts"),
                rs.getInt("attempt_base"),
                instant(rs, "queued_at"),
                instant(rs, "started_at"),
                instant(rs, "finished_at"),
                instant(rs, "run_at"),
                rs.getString("error"),
                rs.getString("lease_owner"));
    }
}
