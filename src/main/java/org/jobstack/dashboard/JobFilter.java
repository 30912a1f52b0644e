package org.jobstack.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The jobs page's filters, each blank for "any": state, worker, instance, trigger, app (the
 * {@code slug} of a service job's message or the {@code konnector} of a konnector job's) and how
 * recently the job was queued ({@code since}: one of {@link #PERIODS}).
 */
record JobFilter(String state, String worker, String domain, String trigger, String app, String since) {

    static final Map<String, Duration> PERIODS = periods();

    static JobFilter byDomain(String domain) {
        return new JobFilter(null, null, domain, null, null, null);
    }

    JobFilter errored() {
        return new JobFilter("errored", worker, domain, trigger, app, since);
    }

    /** The SQL condition (after {@code WHERE 1 = 1}) and its parameters. */
    String where(Map<String, Object> params, Instant now) {
        StringBuilder sql = new StringBuilder();
        equal(sql, params, "state", state);
        equal(sql, params, "worker", worker);
        equal(sql, params, "domain", domain);
        equal(sql, params, "trigger_id", trigger);
        if (present(app)) {
            // Messages are stored as compact JSON (Jackson writes them), so the field reads exactly so.
            sql.append(" AND (message LIKE :slug ESCAPE '\\' OR message LIKE :konnector ESCAPE '\\')");
            params.put("slug", "%\"slug\":\"" + like(app.strip()) + "\"%");
            params.put("konnector", "%\"konnector\":\"" + like(app.strip()) + "\"%");
        }
        Duration period = present(since) ? PERIODS.get(since.strip()) : null;
        if (period != null) {
            sql.append(" AND queued_at >= :since");
            params.put("since", java.sql.Timestamp.from(now.minus(period)));
        }
        return sql.toString();
    }

    private static void equal(StringBuilder sql, Map<String, Object> params, String column, String value) {
        if (present(value)) {
            sql.append(" AND ").append(column).append(" = :").append(column);
            params.put(column, value.strip());
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** The app slug as a LIKE pattern: its own % and _ match only themselves. */
    private static String like(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Map<String, Duration> periods() {
        Map<String, Duration> periods = new LinkedHashMap<>();
        periods.put("15m", Duration.ofMinutes(15));
        periods.put("1h", Duration.ofHours(1));
        periods.put("24h", Duration.ofDays(1));
        periods.put("7d", Duration.ofDays(7));
        return Map.copyOf(periods);
    }
}
