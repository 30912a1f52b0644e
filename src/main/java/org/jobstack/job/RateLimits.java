package org.jobstack.job;

import static org.jobstack.common.Sql.instant;
import static org.jobstack.common.Sql.ts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Hits per instance per hour, as the stack counts them (reference §7.9): {@code job-<worker>} when
 * a job is pushed, {@code webhook-trigger} when a webhook is called. A fixed window starts with
 * the first hit. Counting is one atomic UPDATE on a shared row, so several nodes share the limit.
 */
@Repository
public class RateLimits {

    public static final String WEBHOOK = "webhook-trigger";
    static final Duration WINDOW = Duration.ofHours(1);
    /** The reference's numbers; {@code jobstack.jobs.rate-limits.<counter>} overrides them, 0 = none. */
    static final Map<String, Integer> DEFAULTS =
            Map.of("job-konnector", 100, "job-service", 200, "job-client", 100, WEBHOOK, 30);

    /** Rounds of a hit racing others that open or reset the window; each round someone else's hit counted. */
    private static final int MAX_ATTEMPTS = 8;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<String, Integer> limits = new HashMap<>(DEFAULTS);

    public RateLimits(JdbcClient jdbc, Clock clock, JobstackProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        if (properties.jobs().rateLimits() != null) {
            limits.putAll(properties.jobs().rateLimits());
        }
    }

    /**
     * Counts a hit; refuses it (nothing counted) once the instance used up the counter's hour.
     * Each statement is atomic on its own, so a hit racing others to open the window sees their
     * row and counts again rather than being refused.
     */
    public void hit(String domain, String counter) {
        int limit = limits.getOrDefault(counter, 0);
        if (limit <= 0) {
            return;
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = clock.instant();
            Instant windowOpen = now.minus(WINDOW);
            if (jdbc.sql("""
                    UPDATE rate_limit SET hits = hits + 1
                    WHERE domain = ? AND counter = ? AND window_start > ? AND hits < ?""").params(domain, counter, ts(windowOpen), limit).update() == 1) {
                return;
            }
            if (jdbc.sql(
                                    "UPDATE rate_limit SET hits = 1, window_start = ? WHERE domain = ? AND counter = ? AND window_start <= ?")
                            .params(ts(now), domain, counter, ts(windowOpen))
                            .update()
                    == 1) {
                return;
            }
            Optional<Integer> hits = jdbc.sql(
                            "SELECT hits FROM rate_limit WHERE domain = ? AND counter = ? AND window_start > ?")
                    .params(domain, counter, ts(windowOpen))
                    .query(Integer.class)
                    .optional();
            if (hits.isPresent() && hits.get() >= limit) {
                break;
            }
            if (hits.isEmpty() && insert(domain, counter, now)) {
                return;
            }
            // another hit opened or reset the window meanwhile: count again
        }
        throw Problem.rateLimited(
                "Rate limit reached: at most " + limit + " " + counter + " per hour for this instance");
    }

    /** Why a hit would be refused now, counting nothing; empty when it would be counted. */
    public Optional<String> reached(String domain, String counter) {
        int limit = limits.getOrDefault(counter, 0);
        if (limit <= 0) {
            return Optional.empty();
        }
        Instant windowOpen = clock.instant().minus(WINDOW);
        return jdbc.sql("SELECT window_start FROM rate_limit WHERE domain = ? AND counter = ? AND window_start > ?"
                        + " AND hits >= ?")
                .params(domain, counter, ts(windowOpen), limit)
                .query((rs, n) -> instant(rs, "window_start"))
                .optional()
                .map(start -> "rate limit reached: at most " + limit + " " + counter
                        + " per hour for this instance, until " + start.plus(WINDOW));
    }

    private boolean insert(String domain, String counter, Instant now) {
        try {
            jdbc.sql("INSERT INTO rate_limit (domain, counter, window_start, hits) VALUES (?, ?, ?, 1)")
                    .params(domain, counter, ts(now))
                    .update();
            return true;
        } catch (DuplicateKeyException raced) {
            return false;
        }
    }
}
