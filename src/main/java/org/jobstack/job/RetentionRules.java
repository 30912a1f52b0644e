package org.jobstack.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.JobstackProperties.Retention;
import org.jobstack.config.JobstackProperties.WorkerRetention;
import org.jobstack.config.StartupRefusal;
import org.springframework.stereotype.Component;

/**
 * How long each worker's finished jobs are kept: {@code jobstack.jobs.retention.done} and
 * {@code .errored}, overridden per worker by {@code jobstack.jobs.workers.<w>.retention.*}. Zero
 * keeps them forever.
 */
@Component
public class RetentionRules {

    private final Retention general;
    private final Map<String, WorkerRetention> perWorker = new HashMap<>();

    public RetentionRules(JobstackProperties properties) {
        this.general = properties.jobs().retention();
        check("jobstack.jobs.retention.done", general.done());
        check("jobstack.jobs.retention.errored", general.errored());
        if (general.batchSize() < 1
                || general.interval().compareTo(Duration.ZERO) <= 0
                || !(general.timeShare() > 0 && general.timeShare() <= 1)) {
            throw new StartupRefusal(
                    "jobstack.jobs.retention: batch-size must be >= 1, interval > 0 and time-share in (0, 1]",
                    "Fix it in config/application.yml or in its environment variable.");
        }
        Map<String, JobstackProperties.WorkerSettings> workers =
                properties.jobs().workers();
        if (workers != null) {
            workers.forEach((name, settings) -> {
                if (settings != null && settings.retention() != null) {
                    String prefix = "jobstack.jobs.workers." + name + ".retention.";
                    check(prefix + "done", settings.retention().done());
                    check(prefix + "errored", settings.retention().errored());
                    perWorker.put(name, settings.retention());
                }
            });
        }
    }

    /** The finished time before which a job of this worker in this state is purged; empty: kept forever. */
    public Optional<Instant> cutoff(String worker, JobState state, Instant now) {
        Duration kept = kept(worker, state);
        return kept.isZero() ? Optional.empty() : Optional.of(now.minus(kept));
    }

    /** The shortest time any finished job is kept; empty when every job is kept forever. */
    public Optional<Duration> shortest() {
        Duration shortest = null;
        for (Duration d : all()) {
            if (!d.isZero() && (shortest == null || d.compareTo(shortest) < 0)) {
                shortest = d;
            }
        }
        return Optional.ofNullable(shortest);
    }

    public int batchSize() {
        return general.batchSize();
    }

    public Duration interval() {
        return general.interval();
    }

    /** How long the purge rests after a batch that took {@code batch}: busy {@code time-share} of the time. */
    public Duration restAfter(Duration batch) {
        double share = general.timeShare();
        return Duration.ofNanos(Math.round(batch.toNanos() * (1 - share) / share));
    }

    private Duration kept(String worker, JobState state) {
        WorkerRetention own = perWorker.get(worker);
        Duration mine = own == null ? null : state == JobState.DONE ? own.done() : own.errored();
        return mine != null ? mine : state == JobState.DONE ? general.done() : general.errored();
    }

    private List<Duration> all() {
        List<Duration> all = new ArrayList<>(List.of(general.done(), general.errored()));
        perWorker.values().forEach(r -> {
            if (r.done() != null) {
                all.add(r.done());
            }
            if (r.errored() != null) {
                all.add(r.errored());
            }
        });
        return all;
    }

    private static void check(String setting, Duration value) {
        if (value != null && value.isNegative()) {
            throw new StartupRefusal(
                    setting + ": must be a duration >= 0 (0 keeps jobs forever), not " + value,
                    "Fix it in config/application.yml or in its environment variable.");
        }
    }
}
