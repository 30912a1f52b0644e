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

    /** The newest jobs matching the filters (each may be null or blank), newest first. */
    List<JobRow> jobs(String state, String worker, String domain, String triggerId) {
        StringBuilder sql = new StringBuilder("SELECT id, domain, worker, state, attempts, queued_at, started_at, "
                + "finished_at, error, trigger_id FROM job WHERE 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        filter(sql, params, "state", state);
        filter(sql, params, "worker", worker);
        filter(sql, params, "domain", domain);
        filter(sql, params, "trigger_id", triggerId);
        sql.append(" ORDER BY queued_at DESC LIMIT ").append(PAGE);
        return jdbc.sql(sql.toString()).params(params).query((rs, i) -> new JobRow(rs.getString("id"),
                rs.getString("domain"), rs.getString("worker"), rs.getString("state"), rs.getInt("attempts"),
                instant(rs.getTimestamp("queued_at")), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")), rs.getString("error"), rs.getString("trigger_id"))).list();
    }

    List<String> domains() {
        return jdbc.sql("SELECT domain FROM instance ORDER BY domain").query(String.class).list();
    }

    record AppRow(String kind, String slug, String version, String state) {
    }

    List<AppRow> apps(String domain) {
        return jdbc.sql("SELECT kind, slug, version, state FROM app WHERE domain = :d ORDER BY kind, slug")
                .param("d", domain).query((rs, i) -> new AppRow(rs.getString("kind"), rs.getString("slug"),
                        rs.getString("version"), rs.getString("state"))).list();
    }

    record TriggerRow(String id, String type, String arguments, String worker, String debounce, Instant nextRunAt,
                      String lastStatus, String message) {
    }

    List<TriggerRow> triggers(String domain) {
        List<TriggerRow> rows = new ArrayList<>();
        jdbc.sql("""
                SELECT t.id, t.type, t.arguments, t.worker, t.debounce, t.next_run_at, t.message, s.status
                FROM job_trigger t LEFT JOIN trigger_state s ON s.trigger_id = t.id
                WHERE t.domain = :d ORDER BY t.worker, t.type, t.id""").param("d", domain).query((rs, i) ->
                rows.add(new TriggerRow(rs.getString("id"), rs.getString("type"), rs.getString("arguments"),
                        rs.getString("worker"), rs.getString("debounce"), instant(rs.getTimestamp("next_run_at")),
                        rs.getString("status"), rs.getString("message")))).list();
        return rows;
    }

    private static void filter(StringBuilder sql, Map<String, Object> params, String column, String value) {
        if (value != null && !value.isBlank()) {
            sql.append(" AND ").append(column).append(" = :").append(column);
            params.put(column, value.strip());
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
