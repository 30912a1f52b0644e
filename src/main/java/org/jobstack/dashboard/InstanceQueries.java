package org.jobstack.dashboard;

import static org.jobstack.dashboard.DashboardQueries.instant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What the instance page shows: apps with their services, triggers with their state and open debounce window. */
@Component
class InstanceQueries {

    private final JdbcClient jdbc;

    InstanceQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record ServiceRow(String name, String type, String file, String trigger, String debounce, String triggerId) {
    }

    record AppRow(String kind, String slug, String version, String state, String error, List<ServiceRow> services) {
    }

    List<AppRow> apps(String domain) {
        Map<String, AppRow> apps = new LinkedHashMap<>();
        jdbc.sql("SELECT id, kind, slug, version, state, error FROM app WHERE domain = :d ORDER BY kind, slug")
                .param("d", domain).query((rs, i) -> apps.put(rs.getString("id"), new AppRow(rs.getString("kind"),
                        rs.getString("slug"), rs.getString("version"), rs.getString("state"), rs.getString("error"),
                        new ArrayList<>()))).list();
        jdbc.sql("""
                SELECT s.app_id, s.name, s.type, s.file, s.trigger_spec, s.debounce, s.trigger_id
                FROM app_service s JOIN app a ON a.id = s.app_id WHERE a.domain = :d ORDER BY s.app_id, s.name""")
                .param("d", domain).query((rs, i) -> apps.get(rs.getString("app_id")).services().add(new ServiceRow(
                        rs.getString("name"), rs.getString("type"), rs.getString("file"), rs.getString("trigger_spec"),
                        rs.getString("debounce"), rs.getString("trigger_id")))).list();
        return List.copyOf(apps.values());
    }

    record Window(Instant openedAt, Instant closesAt, int occurrences) {
    }

    record TriggerRow(String id, String type, String arguments, String worker, String debounce, Instant nextRunAt,
                      boolean paused, String lastStatus, String lastError, String message, Window window) {
    }

    List<TriggerRow> triggers(String domain) {
        return jdbc.sql("""
                SELECT t.id, t.type, t.arguments, t.worker, t.debounce, t.next_run_at, t.paused, t.message,
                    s.status, s.last_error, w.opened_at, w.closes_at, w.occurrences
                FROM job_trigger t LEFT JOIN trigger_state s ON s.trigger_id = t.id
                    LEFT JOIN debounce_window w ON w.trigger_id = t.id
                WHERE t.domain = :d ORDER BY t.worker, t.type, t.id""").param("d", domain).query((rs, i) -> {
            Instant opened = instant(rs.getTimestamp("opened_at"));
            Window window = opened == null ? null
                    : new Window(opened, instant(rs.getTimestamp("closes_at")), rs.getInt("occurrences"));
            return new TriggerRow(rs.getString("id"), rs.getString("type"), rs.getString("arguments"),
                    rs.getString("worker"), rs.getString("debounce"), instant(rs.getTimestamp("next_run_at")),
                    rs.getBoolean("paused"), rs.getString("status"), rs.getString("last_error"), rs.getString("message"),
                    window);
        }).list();
    }
}
