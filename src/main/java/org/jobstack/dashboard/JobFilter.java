package org.jobstack.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jobstack.job.JobSearch;
import org.jobstack.job.JobState;

/**
 * The jobs page's filters as typed, each blank for "any": state, worker, instance, trigger, app
 * and how recently the job was queued ({@code since}: one of {@link #PERIODS}).
 */
record JobFilter(String state, String worker, String domain, String trigger, String app, String since) {

    static final List<String> STATES = List.of("queued", "running", "done", "errored");
    static final Map<String, Duration> PERIODS = periods();

    static JobFilter byDomain(String domain) {
        return new JobFilter(null, null, domain, null, null, null);
    }

    JobFilter errored() {
        return new JobFilter("errored", worker, domain, trigger, app, since);
    }

    /** The search these filters ask for; empty when they can match nothing (an unknown state). */
    Optional<JobSearch> search(Instant now) {
        JobState wanted = null;
        if (present(state)) {
            if (!STATES.contains(state.strip())) {
                return Optional.empty();
            }
            wanted = JobState.of(state.strip());
        }
        Duration period = present(since) ? PERIODS.get(since.strip()) : null;
        return Optional.of(new JobSearch(
                wanted,
                blankless(worker),
                blankless(domain),
                blankless(trigger),
                blankless(app),
                period == null ? null : now.minus(period)));
    }

    private static String blankless(String value) {
        return present(value) ? value.strip() : null;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
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
