package org.jobstack.job;

import static org.jobstack.common.Sql.instant;
import static org.jobstack.common.Sql.ts;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What the job table says in aggregate, for the dashboard, the metrics and the nodes' view:
 * counts per worker and state, the oldest waits, the attempts running, the newest jobs of a
 * search. Read only; the queue itself is {@link JobStore}.
 */
@Repository
public class JobStatistics {

    private final JdbcClient jdbc;

    public JobStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Queued and running jobs per worker, with the due time of the oldest queued one. */
    public record ActiveCount(String worker, JobState state, long count, Instant oldestRunAt) {}

    public List<ActiveCount> activeCounts() {
        return jdbc.sql("""
                SELECT worker, state, COUNT(*) AS n, MIN(CASE WHEN state = 'queued' THEN run_at END) AS oldest
                FROM job WHERE state IN ('queued', 'running') GROUP BY worker, state""")
                .query((rs, i) -> new ActiveCount(
                        rs.getString("worker"),
                        JobState.of(rs.getString("state")),
                        rs.getLong("n"),
                        instant(rs, "oldest")))
                .list();
    }

    /** Jobs in these states per worker and state: {@code worker → state → count}, workers in name order. */
    public Map<String, Map<String, Long>> countsByWorker(Collection<String> states) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        jdbc.sql("SELECT worker, state, COUNT(*) AS n FROM job WHERE state IN (:states) GROUP BY worker, state")
                .param("states", states)
                .query((rs, i) -> counts.computeIfAbsent(rs.getString("worker"), w -> new LinkedHashMap<>())
                        .put(rs.getString("state"), rs.getLong("n")))
                .list();
        return counts;
    }

    /** When the oldest queued job of each worker was queued. */
    public Map<String, Instant> oldestQueuedAt() {
        Map<String, Instant> oldest = new TreeMap<>();
        jdbc.sql("SELECT worker, MIN(queued_at) AS oldest FROM job WHERE state = 'queued' GROUP BY worker")
                .query((rs, i) -> oldest.put(rs.getString("worker"), instant(rs, "oldest")))
                .list();
        return oldest;
    }

    /** A running attempt: which job, which node runs it, since when. */
    public record RunningAttempt(
            String jobId, String domain, String worker, String node, int attempt, Instant startedAt) {}

    /** Attempts running now on every node, longest running first (the claim index's {@code running} range). */
    public List<RunningAttempt> runningAttempts(int limit) {
        return jdbc.sql("""
                SELECT id, domain, worker, lease_owner, attempts, attempt_started_at FROM job
                WHERE state = 'running' AND worker <> 'client' ORDER BY attempt_started_at LIMIT :limit""")
                .param("limit", limit)
                .query((rs, i) -> new RunningAttempt(
                        rs.getString("id"),
                        rs.getString("domain"),
                        rs.getString("worker"),
                        rs.getString("lease_owner"),
                        rs.getInt("attempts"),
                        instant(rs, "attempt_started_at")))
                .list();
    }

    /** Running attempts per node and worker: {@code node → worker → count}. */
    public Map<String, Map<String, Long>> runningByNode() {
        Map<String, Map<String, Long>> running = new TreeMap<>();
        jdbc.sql("""
                SELECT lease_owner, worker, COUNT(*) AS n FROM job
                WHERE state = 'running' AND lease_owner IS NOT NULL GROUP BY lease_owner, worker""")
                .query((rs, i) -> running.computeIfAbsent(rs.getString("lease_owner"), n -> new TreeMap<>())
                        .put(rs.getString("worker"), rs.getLong("n")))
                .list();
        return running;
    }

    /** The newest jobs matching a search, newest first (the {@code job_recent} index, read in order). */
    public List<JobSummary> newest(JobSearch search, int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        String sql =
                "SELECT id, domain, worker, state, attempts, queued_at, started_at, finished_at, error, trigger_id "
                        + "FROM job WHERE 1 = 1" + where(search, params) + " ORDER BY queued_at DESC LIMIT " + limit;
        return jdbc.sql(sql)
                .params(params)
                .query((rs, i) -> new JobSummary(
                        rs.getString("id"),
                        rs.getString("domain"),
                        rs.getString("worker"),
                        JobState.of(rs.getString("state")),
                        rs.getInt("attempts"),
                        instant(rs, "queued_at"),
                        instant(rs, "started_at"),
                        instant(rs, "finished_at"),
                        rs.getString("error"),
                        rs.getString("trigger_id")))
                .list();
    }

    /** The SQL condition of a search (after {@code WHERE 1 = 1}), its parameters put in {@code params}. */
    private static String where(JobSearch search, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder();
        equal(
                sql,
                params,
                "state",
                search.state() == null ? null : search.state().value());
        equal(sql, params, "worker", search.worker());
        equal(sql, params, "domain", search.domain());
        equal(sql, params, "trigger_id", search.triggerId());
        equal(sql, params, "app", search.app());
        if (search.since() != null) {
            sql.append(" AND queued_at >= :since");
            params.put("since", ts(search.since()));
        }
        return sql.toString();
    }

    private static void equal(StringBuilder sql, Map<String, Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = :").append(column);
            params.put(column, value);
        }
    }
}
