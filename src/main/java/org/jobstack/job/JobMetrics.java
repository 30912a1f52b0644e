package org.jobstack.job;

import static org.jobstack.common.Sql.instant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Queue gauges for Prometheus, refreshed every few seconds by one grouped query:
 * {@code jobstack_jobs_queued} and {@code jobstack_jobs_running} per worker, and the age of the
 * oldest due queued job, {@code jobstack_jobs_queue_wait_seconds}.
 */
@Component
class JobMetrics {

    private final JdbcClient jdbc;
    private final WorkerRegistry workers;
    private final Clock clock;
    private final MultiGauge queued;
    private final MultiGauge running;
    private final MultiGauge waiting;

    JobMetrics(JdbcClient jdbc, WorkerRegistry workers, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.workers = workers;
        this.clock = clock;
        this.queued = MultiGauge.builder("jobstack.jobs.queued").description("Queued jobs").register(meters);
        this.running = MultiGauge.builder("jobstack.jobs.running").description("Running jobs").register(meters);
        this.waiting = MultiGauge.builder("jobstack.jobs.queue.wait").baseUnit("seconds")
                .description("How long the oldest due queued job has waited").register(meters);
    }

    @Scheduled(fixedDelay = 5000, initialDelay = 1000)
    void refresh() {
        Instant now = clock.instant();
        Map<String, Long> queuedBy = new HashMap<>();
        Map<String, Long> runningBy = new HashMap<>();
        Map<String, Double> waitBy = new HashMap<>();
        workers.all().forEach(worker -> {
            queuedBy.put(worker.name(), 0L);
            runningBy.put(worker.name(), 0L);
            waitBy.put(worker.name(), 0.0);
        });
        jdbc.sql("""
                SELECT worker, state, COUNT(*) AS n, MIN(CASE WHEN state = 'queued' THEN run_at END) AS oldest
                FROM job WHERE state IN ('queued', 'running') GROUP BY worker, state""")
                .query((rs, i) -> {
                    String worker = rs.getString("worker");
                    if ("queued".equals(rs.getString("state"))) {
                        queuedBy.put(worker, rs.getLong("n"));
                        Instant oldest = instant(rs, "oldest");
                        waitBy.put(worker, oldest == null || oldest.isAfter(now) ? 0
                                : Duration.between(oldest, now).toMillis() / 1000.0);
                    } else {
                        runningBy.put(worker, rs.getLong("n"));
                    }
                    return null;
                }).list();
        queued.register(rows(queuedBy), true);
        running.register(rows(runningBy), true);
        waiting.register(rows(waitBy), true);
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, ? extends Number> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        values.forEach((worker, value) -> rows.add(MultiGauge.Row.of(Tags.of("worker", worker), value)));
        return rows;
    }
}
