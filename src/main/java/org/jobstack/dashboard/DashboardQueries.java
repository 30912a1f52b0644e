package org.jobstack.dashboard;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What the dashboard shows, read straight from the tables with queries that stay cheap at 100 000 jobs. */
@Component
class DashboardQueries {

    static final List<String> STATES = List.of("queued", "running", "done", "errored");
    private static final int PAGE = 50;

    private final JdbcClient jdbc;

    DashboardQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Jobs per worker and state: {@code worker → state → count}. */
    Map<String, Map<String, Long>> countsByWorker() {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        jdbc.sql("SELECT worker, state, COUNT(*) AS n FROM job GROUP BY worker, state").query((rs, i) -> {
            counts.computeIfAbsent(rs.getString("worker"), w -> new LinkedHashMap<>()).put(rs.getString("state"),
                    rs.getLong("n"));
            return null;
        }).list();
        return counts;
    }

    /** How long the oldest queued job of each worker has waited. */
    Map<String, Duration> oldestWait(Instant now) {
        Map<String, Duration> waits = new TreeMap<>();
        jdbc.sql("SELECT worker, MIN(queued_at) AS oldest FROM job WHERE state = 'queued' GROUP BY worker")
                .query((rs, i) -> waits.put(rs.getString("worker"),
                        Duration.between(rs.getTimestamp("oldest").toInstant(), now))).list();
        return waits;
    }

    record RunningRow(String id, String domain, String worker, String node, int attempt, Duration runningFor) {
    }

    /** Attempts running now on every node, longest running first (the claim index's {@code running} range). */
    List<RunningRow> running(Instant now, int limit) {
        return jdbc.sql("""
                SELECT id, domain, worker, lease_owner, attempts, attempt_started_at FROM job
                WHERE state = 'running' AND worker <> 'client' ORDER BY attempt_started_at LIMIT :limit""")
                .param("limit", limit).query((rs, i) -> {
                    Instant started = instant(rs.getTimestamp("attempt_started_at"));
                    return new RunningRow(rs.getString("id"), rs.getString("domain"), rs.getString("worker"),
                            rs.getString("lease_owner"), rs.getInt("attempts"),
                            started == null ? Duration.ZERO : Duration.between(started, now));
                }).list();
    }

    record NodeRow(String id, String host, Instant startedAt, Duration heartbeatAge) {
    }

    List<NodeRow> nodes(Instant now) {
        return jdbc.sql("SELECT id, host, started_at, heartbeat_at FROM node ORDER BY id").query((rs, i) ->
                new NodeRow(rs.getString("id"), rs.getString("host"), rs.getTimestamp("started_at").toInstant(),
                        Duration.between(rs.getTimestamp("heartbeat_at").toInstant(), now))).list();
    }

    record JobRow(String id, String domain, String worker, String state, int attempts, Instant queuedAt,
                  Instant startedAt, Instant finishedAt, String error, String triggerId) {
    }

    /** The newest jobs matching the filter, newest first, at most {@code limit}. */
    List<JobRow> jobs(JobFilter filter, Instant now, int limit) {
        Map<String, Object> params = new LinkedHashMap<>();
        String sql = "SELECT id, domain, worker, state, attempts, queued_at, started_at, finished_at, error, trigger_id "
                + "FROM job WHERE 1 = 1" + filter.where(params, now) + " ORDER BY queued_at DESC LIMIT " + limit;
        return jdbc.sql(sql).params(params).query((rs, i) -> new JobRow(rs.getString("id"),
                rs.getString("domain"), rs.getString("worker"), rs.getString("state"), rs.getInt("attempts"),
                instant(rs.getTimestamp("queued_at")), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")), rs.getString("error"), rs.getString("trigger_id"))).list();
    }

    List<JobRow> jobs(JobFilter filter, Instant now) {
        return jobs(filter, now, PAGE);
    }

    List<String> domains() {
        return jdbc.sql("SELECT domain FROM instance ORDER BY domain").query(String.class).list();
    }

    record AttemptRow(int attempt, String node, Instant startedAt, Instant finishedAt, String outcome,
                      Integer exitCode, String error) {
        public Duration duration() {
            return startedAt == null ? null : Duration.between(startedAt, finishedAt);
        }
    }

    /** The ended attempts of a job, in order; the one that ended it done is told by the job row. */
    List<AttemptRow> attempts(String jobId) {
        return jdbc.sql("""
                SELECT attempt, node, started_at, finished_at, outcome, exit_code, error FROM job_attempt
                WHERE job_id = :id
                UNION ALL
                SELECT attempts, NULL, attempt_started_at, finished_at, 'done', exit_code, NULL FROM job
                WHERE id = :id AND state = 'done'
                ORDER BY finished_at, attempt""").param("id", jobId).query((rs, i) -> {
            int code = rs.getInt("exit_code");
            Integer exitCode = rs.wasNull() ? null : code;
            return new AttemptRow(rs.getInt("attempt"), rs.getString("node"), instant(rs.getTimestamp("started_at")),
                    instant(rs.getTimestamp("finished_at")), rs.getString("outcome"), exitCode, rs.getString("error"));
        }).list();
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
