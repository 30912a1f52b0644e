package org.jobstack.job;

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
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Queue gauges for Prometheus, refreshed every few seconds by one grouped query:
 * {@code jobstack_jobs_queued} and {@code jobstack_jobs_running} per worker, and the age of the
 * oldest due queued job, {@code jobstack_jobs_queue_wait_seconds}.
 */
@Component
class JobMetrics {

    private final JobStatistics jobs;
    private final WorkerRegistry workers;
    private final Clock clock;
    private final MultiGauge queued;
    private final MultiGauge running;
    private final MultiGauge waiting;

    JobMetrics(JobStatistics jobs, WorkerRegistry workers, Clock clock, MeterRegistry meters) {
        this.jobs = jobs;
        this.workers = workers;
        this.clock = clock;
        this.queued = MultiGauge.builder("jobstack.jobs.queued")
                .description("Queued jobs")
                .register(meters);
        this.running = MultiGauge.builder("jobstack.jobs.running")
                .description("Running jobs")
                .register(meters);
        this.waiting = MultiGauge.builder("jobstack.jobs.queue.wait")
                .baseUnit("seconds")
                .description("How long the oldest due queued job has waited")
                .register(meters);
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
        for (JobStatistics.ActiveCount count : jobs.activeCounts()) {
            if (count.state() == JobState.QUEUED) {
                queuedBy.put(count.worker(), count.count());
                Instant oldest = count.oldestRunAt();
                waitBy.put(
                        count.worker(),
                        oldest == null || oldest.isAfter(now)
                                ? 0
                                : Duration.between(oldest, now).toMillis() / 1000.0);
            } else {
                runningBy.put(count.worker(), count.count());
            }
        }
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
