package org.jobstack.job.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.Attempt;
import org.jobstack.job.Job;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobFailure;
import org.jobstack.job.JobLog;
import org.jobstack.job.JobRunner;
import org.jobstack.job.JobState;
import org.jobstack.job.JobStore;
import org.jobstack.job.StartGate;
import org.jobstack.job.WorkerDefinition;
import org.jobstack.job.WorkerRegistry;
import org.jobstack.job.log.BufferedJobLog;
import org.jobstack.job.log.JobLogStore;
import org.jobstack.node.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs one attempt of a claimed job and records its outcome: done, errored, or queued again
 * after a backoff while attempts remain and the failure is worth retrying.
 */
@Component
class JobExecutor {

    private static final Logger log = LoggerFactory.getLogger(JobExecutor.class);

    private final Map<String, JobRunner> runners;
    private final WorkerRegistry workers;
    private final JobStore store;
    private final JobChanges changes;
    private final JobLogStore logs;
    private final RetryPolicy retries;
    private final NodeIdentity node;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;
    private final Clock clock;
    private final long logLimit;
    private final Completions completions;
    private final ClusterSignals signals;
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
    private final Map<String, Counter> retryCounters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Attempt> running = new ConcurrentHashMap<>();
    private final Map<String, BufferedJobLog> liveLogs = new ConcurrentHashMap<>();

    public JobExecutor(
            List<JobRunner> runners,
            WorkerRegistry workers,
            JobStore store,
            JobChanges changes,
            JobLogStore logs,
            RetryPolicy retries,
            NodeIdentity node,
            ApplicationEventPublisher events,
            MeterRegistry meters,
            Completions completions,
            ClusterSignals signals,
            Clock clock,
            JobstackProperties properties) {
        this.completions = completions;
        this.signals = signals;
        this.runners = runners.stream().collect(Collectors.toMap(JobRunner::worker, Function.identity()));
        this.workers = workers;
        this.store = store;
        this.changes = changes;
        this.logs = logs;
        this.retries = retries;
        this.node = node;
        this.events = events;
        this.meters = meters;
        this.clock = clock;
        this.logLimit = properties.exec().logLimit();
    }

    /**
     * Runs an attempt of a job whose storing transaction may still be under way ({@code gate}): the
     * runner may prepare meanwhile; the attempt runs and records its outcome only once it is stored,
     * and ends without a trace if it never is.
     */
    public void execute(Job job, StartGate gate) {
        if (!runners.get(job.worker()).preparesBeforeStored() && !stored(job, gate)) {
            return;
        }
        WorkerDefinition worker = workers.find(job.worker()).orElseThrow();
        int maxExecCount = job.options().effectiveMaxExecCount(worker.maxExecCount());
        Duration timeout = job.options().effectiveTimeout(worker.timeout());
        Instant start = clock.instant();
        long startNanos = System.nanoTime();
        boolean stored = false;
        try (BufferedJobLog jobLog = new BufferedJobLog(logs, clock, job.id(), job.attempts(), logLimit)) {
            Attempt attempt = new Attempt(job, start.plus(timeout), jobLog, gate);
            running.put(job.id(), attempt);
            liveLogs.put(job.id(), jobLog);
            Outcome outcome = run(attempt);
            stored = stored(job, gate);
            if (!stored) {
                return;
            }
            if (!outcome.success()) {
                jobLog.append(JobLog.JOBSTACK, "error", "attempt " + job.attempts() + " failed: " + outcome.error());
            }
            liveLogs.remove(job.id());
            storeLogs(jobLog, job);
            record(job, worker, outcome, maxExecCount, attempt, start);
        } catch (RuntimeException e) {
            log.atError().addKeyValue("job_id", job.id()).setCause(e).log("Could not record the outcome of a job");
        } finally {
            running.remove(job.id());
            liveLogs.remove(job.id());
            if (stored) {
                meter(
                                timers,
                                job.worker(),
                                () -> Timer.builder("jobstack.jobs.attempt.duration")
                                        .tag("worker", job.worker())
                                        .register(meters))
                        .record(Duration.ofNanos(System.nanoTime() - startNanos));
            }
        }
    }

    /** Waits until the job is stored; false when it never is (or this thread is interrupted meanwhile). */
    private static boolean stored(Job job, StartGate gate) {
        try {
            gate.await();
            return true;
        } catch (StartGate.NeverStored e) {
            log.atDebug().addKeyValue("job_id", job.id()).log("A job started at once was never stored");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Stores what running attempts logged so far, so that their logs can be followed live. */
    @Scheduled(fixedDelay = 500)
    void flushLiveLogs() {
        liveLogs.values().forEach(l -> {
            try {
                l.flush();
            } catch (RuntimeException e) {
                log.atDebug().setCause(e).log("Live log flush failed; the lines stay buffered");
            }
        });
    }

    /**
     * Stores the attempt's last log lines before its outcome is written, so that a finished job has
     * all its logs. Logs that cannot be stored never keep the outcome from being written.
     */
    private static void storeLogs(BufferedJobLog jobLog, Job job) {
        try {
            jobLog.close();
        } catch (RuntimeException e) {
            log.atWarn()
                    .addKeyValue("job_id", job.id())
                    .setCause(e)
                    .log("The last log lines of an attempt could not be stored; its outcome is written all the same");
        }
    }

    @EventListener
    void onCancelRequested(JobChanges.CancelRequested requested) {
        cancel(requested.jobId(), requested.reason());
    }

    /** A cancel asked on another node: {@code <job id> <reason>}; nothing when the job does not run here. */
    @EventListener
    void onSignal(Signal signal) {
        if (signal.topic() == Signal.Topic.CANCEL) {
            String[] idAndReason = signal.subject().split(" ", 2);
            cancel(idAndReason[0], idAndReason.length > 1 ? idAndReason[1] : JobStore.CancelRequest.UNSTATED);
        }
    }

    /** Cancels the running attempt of a job on this node, if any. */
    public boolean cancel(String jobId, String reason) {
        Attempt attempt = running.get(jobId);
        if (attempt == null) {
            return false;
        }
        attempt.cancel(reason, false);
        return true;
    }

    /** Stops every attempt running here and gives their jobs back to the queue (shutdown). */
    public void giveBackAll(String reason) {
        running.values().forEach(a -> a.cancel(reason, true));
    }

    public int runningCount() {
        return running.size();
    }

    /** The outcome of the attempt (of no use when its job was never stored: see {@link #stored}). */
    private Outcome run(Attempt attempt) {
        JobRunner runner = runners.get(attempt.job().worker());
        Outcome outcome;
        try {
            runner.run(attempt);
            outcome = Outcome.SUCCESS;
        } catch (JobFailure f) {
            outcome = new Outcome(false, f.kind(), f.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(false, JobFailure.Kind.RETRYABLE, "interrupted");
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            outcome = new Outcome(false, JobFailure.Kind.RETRYABLE, message);
        }
        if (!attempt.isCancelled()) {
            return outcome;
        }
        return attempt.givesBack()
                ? Outcome.givenBack(attempt.cancelReason())
                : new Outcome(false, JobFailure.Kind.FINAL, JobStore.CancelRequest.errorOf(attempt.cancelReason()));
    }

    private void record(
            Job job, WorkerDefinition worker, Outcome outcome, int maxExecCount, Attempt attempt, Instant start) {
        Instant now = clock.instant();
        JobState state = JobState.QUEUED;
        Instant runAt = now;
        String result;
        if (outcome.success()) {
            result = "done";
            state = JobState.DONE;
        } else if (outcome.kind() == null) {
            result = "requeued";
        } else if (outcome.kind() == JobFailure.Kind.RETRYABLE && job.attemptsInRound() < maxExecCount) {
            result = "retry";
            runAt = now.plus(retries.delayBefore(job.attemptsInRound() + 1));
        } else {
            result = "errored";
            state = JobState.ERRORED;
            if (outcome.kind() == JobFailure.Kind.BAD_TRIGGER && job.triggerId() != null) {
                events.publishEvent(new JobChanges.BadTrigger(job.domain(), job.triggerId(), outcome.error()));
            }
        }
        Instant queuedAgainAt = state == JobState.QUEUED ? runAt : null;
        Job ended = job.endedAs(state, outcome.error(), now, queuedAgainAt);
        completions.submit(new Completions.Completion(
                job,
                node.id(),
                state,
                result,
                outcome.error(),
                start,
                now,
                queuedAgainAt,
                attempt.exitCode(),
                result.equals("requeued"),
                recorded -> {
                    ended(ended, result, attempt, recorded);
                    if (recorded && queuedAgainAt != null) {
                        queuedAgain(job.worker(), queuedAgainAt);
                    } else if (recorded && worker.clusterConcurrency() != null) {
                        signals.broadcast(Signal.Topic.JOB_QUEUED, job.worker());
                    }
                }));
    }

    /** A retry is claimed when due (this node wakes the others then); a job given back, by any node now. */
    private void queuedAgain(String worker, Instant at) {
        if (at.isAfter(clock.instant())) {
            events.publishEvent(new RetryScheduled(worker, at));
        } else {
            signals.broadcast(Signal.Topic.JOB_QUEUED, worker);
        }
    }

    /** Once the outcome is written: state change announced, counted, logged. */
    private void ended(Job job, String result, Attempt attempt, boolean recorded) {
        if (recorded) {
            changes.changed(job, JobState.RUNNING);
        }
        meter(
                        attempts,
                        job.worker() + "|" + result,
                        () -> meters.counter("jobstack.jobs.attempts", "worker", job.worker(), "outcome", result))
                .increment();
        if (result.equals("retry")) {
            meter(retryCounters, job.worker(), () -> meters.counter("jobstack.jobs.retries", "worker", job.worker()))
                    .increment();
        }
        var event = result.equals("done") ? log.atDebug() : log.atInfo();
        event.addKeyValue("job_id", job.id())
                .addKeyValue("domain", job.domain())
                .addKeyValue("worker", job.worker())
                .addKeyValue("attempt", attempt.number())
                .addKeyValue("outcome", result)
                .addKeyValue("error", job.error())
                .log(recorded ? "Job attempt ended: {}" : "Job attempt ended ({}) but its lease was lost", result);
    }

    private static <M> M meter(Map<String, M> cache, String key, Supplier<M> create) {
        return cache.computeIfAbsent(key, k -> create.get());
    }

    /** Outcome of an attempt; {@code kind == null} without success means given back to the queue. */
    private record Outcome(boolean success, JobFailure.Kind kind, String error) {
        static final Outcome SUCCESS = new Outcome(true, null, null);

        static Outcome givenBack(String reason) {
            return new Outcome(false, null, reason);
        }
    }
}
