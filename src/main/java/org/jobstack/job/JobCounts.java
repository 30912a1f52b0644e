package org.jobstack.job;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jobstack.common.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Jobs per worker and state, as the dashboard's overview shows them. Queued and running jobs are
 * counted at each call (small ranges of the claim index). Done and errored jobs grow with history
 * (a million of them take PostgreSQL a scan of about half a second), so they are counted in the
 * background, at most every {@link #FINISHED_REFRESH} and only while someone looks, and shown as
 * of that count; only the first look after start waits for it.
 */
@Service
public class JobCounts {

    static final Duration FINISHED_REFRESH = Duration.ofSeconds(30);
    private static final List<String> ACTIVE = List.of(JobState.QUEUED.value(), JobState.RUNNING.value());
    private static final List<String> FINISHED = List.of(JobState.DONE.value(), JobState.ERRORED.value());
    private static final Logger log = LoggerFactory.getLogger(JobCounts.class);

    /** {@code worker → state → count}, workers in name order; done and errored as of {@code finishedAsOf}. */
    public record Counts(Map<String, Map<String, Long>> byWorker, Instant finishedAsOf) {}

    private record Finished(Map<String, Map<String, Long>> byWorker, Instant at) {}

    private final JobStatistics jobs;
    private final Clock clock;
    private final ExecutorService refresher;
    private final AtomicReference<Finished> finished = new AtomicReference<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    @Autowired
    public JobCounts(JobStatistics jobs, Clock clock) {
        this(jobs, clock, Executors.newSingleThreadExecutor(DaemonThreads.named("job-counts")));
    }

    JobCounts(JobStatistics jobs, Clock clock, ExecutorService refresher) {
        this.jobs = jobs;
        this.clock = clock;
        this.refresher = refresher;
    }

    public Counts now() {
        Finished f = finished.get();
        if (f == null) {
            f = countFinished();
        } else if (!clock.instant().isBefore(f.at().plus(FINISHED_REFRESH)) && refreshing.compareAndSet(false, true)) {
            refresher.execute(this::refresh);
        }
        Map<String, Map<String, Long>> all = new TreeMap<>();
        add(all, jobs.countsByWorker(ACTIVE));
        add(all, f.byWorker());
        return new Counts(all, f.at());
    }

    private void refresh() {
        try {
            countFinished();
        } catch (RuntimeException e) {
            log.atWarn().log("Done and errored jobs not counted, the last count stays: {}", e.getMessage());
        } finally {
            refreshing.set(false);
        }
    }

    private Finished countFinished() {
        Instant at = clock.instant();
        Finished counted = new Finished(jobs.countsByWorker(FINISHED), at);
        finished.set(counted);
        return counted;
    }

    private static void add(Map<String, Map<String, Long>> into, Map<String, Map<String, Long>> counts) {
        counts.forEach((worker, byState) ->
                into.computeIfAbsent(worker, w -> new LinkedHashMap<>()).putAll(byState));
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
    }
}
