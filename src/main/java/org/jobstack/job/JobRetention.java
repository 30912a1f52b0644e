package org.jobstack.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.PageCursor;
import org.jobstack.common.Phases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Purges finished jobs past their retention ({@link RetentionRules}), with their logs and attempts.
 * Every {@code interval} a walk goes through the jobs old enough to be purged, oldest first, one
 * batch per transaction; after each batch it rests long enough that it works only {@code
 * time-share} of the time (10 % by default: nine times as long as the batch took), so that the
 * queue keeps most of the database even while a large backlog goes. A walk resumes
 * where it left off, so jobs kept longer (another state, another worker) are read once per walk.
 * Several nodes may purge at once: a job is deleted only once and only if it is still finished.
 */
@Component
class JobRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRetention.class);

    private static final Duration MIN_REST = Duration.ofMillis(1);

    private final FinishedJobs finished;
    private final RetentionRules rules;
    private final Clock clock;
    private final Counter purged;
    private final BackgroundLoop loop;
    private PageCursor position;
    private long purgedThisWalk;

    JobRetention(FinishedJobs finished, RetentionRules rules, Clock clock, MeterRegistry meters) {
        this.finished = finished;
        this.rules = rules;
        this.clock = clock;
        this.purged = Counter.builder("jobstack.jobs.purged")
                .description("Finished jobs deleted at the end of their retention")
                .register(meters);
        this.loop = BackgroundLoop.of("job-retention", rules.interval(), "Purging old jobs failed", this::pass);
    }

    /** One batch of a walk at {@code now}; the number of jobs deleted, or -1 when the walk has ended. */
    synchronized int purgeBatch(Instant now) {
        Optional<Duration> shortest = rules.shortest();
        if (shortest.isEmpty()) {
            return -1;
        }
        List<FinishedJobs.Finished> batch = finished.oldest(position, now.minus(shortest.get()), rules.batchSize());
        if (batch.isEmpty()) {
            position = null;
            return -1;
        }
        position = batch.get(batch.size() - 1).position();
        int deleted = 0;
        for (Map.Entry<Expiry, List<String>> group : expired(batch, now).entrySet()) {
            deleted += finished.delete(
                    group.getValue(), group.getKey().state(), group.getKey().cutoff());
        }
        purged.increment(deleted);
        return deleted;
    }

    /** A whole walk at {@code now}, batch after batch without rest; how many jobs were deleted. */
    synchronized int purgeAll(Instant now) {
        position = null;
        int total = 0;
        for (int n = purgeBatch(now); n >= 0; n = purgeBatch(now)) {
            total += n;
        }
        return total;
    }

    private record Expiry(JobState state, Instant cutoff) {}

    /** The jobs of the batch past their retention, grouped by state and cutoff (few groups). */
    private Map<Expiry, List<String>> expired(List<FinishedJobs.Finished> batch, Instant now) {
        Map<Expiry, List<String>> groups = new HashMap<>();
        for (FinishedJobs.Finished job : batch) {
            rules.cutoff(job.worker(), job.state(), now)
                    .filter(cutoff ->
                            job.finishedAt() != null && job.finishedAt().isBefore(cutoff))
                    .ifPresent(cutoff -> groups.computeIfAbsent(new Expiry(job.state(), cutoff), k -> new ArrayList<>())
                            .add(job.id()));
        }
        return groups;
    }

    private Duration pass() {
        long start = System.nanoTime();
        int deleted = purgeBatch(clock.instant());
        if (deleted < 0) {
            if (purgedThisWalk > 0) {
                log.atInfo()
                        .addKeyValue("purged", purgedThisWalk)
                        .log("Purged {} finished jobs past their retention", purgedThisWalk);
            }
            purgedThisWalk = 0;
            return rules.interval();
        }
        purgedThisWalk += deleted;
        Duration rest = rules.restAfter(Duration.ofNanos(System.nanoTime() - start));
        return rest.compareTo(MIN_REST) < 0 ? MIN_REST : rest;
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.RETENTION;
    }
}
