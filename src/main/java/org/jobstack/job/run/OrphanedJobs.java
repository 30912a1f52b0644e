package org.jobstack.job.run;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.jobstack.job.AttemptRecord;
import org.jobstack.job.AttemptStore;
import org.jobstack.job.Job;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobLeases;
import org.jobstack.job.JobState;
import org.jobstack.job.JobStore;
import org.jobstack.job.WorkerRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Running jobs whose node is gone: retried while attempts remain, else errored with the reason. */
@Component
class OrphanedJobs {

    private final JobStore store;
    private final JobLeases leases;
    private final AttemptStore attempts;
    private final JobChanges changes;
    private final WorkerRegistry workers;
    private final RetryPolicy retries;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public OrphanedJobs(
            JobStore store,
            JobLeases leases,
            AttemptStore attempts,
            JobChanges changes,
            WorkerRegistry workers,
            RetryPolicy retries,
            ApplicationEventPublisher events,
            Clock clock) {
        this.store = store;
        this.leases = leases;
        this.attempts = attempts;
        this.changes = changes;
        this.workers = workers;
        this.retries = retries;
        this.events = events;
        this.clock = clock;
    }

    public List<String> deadOwners(Instant heartbeatCutoff) {
        return leases.ownersWithoutHeartbeatSince(heartbeatCutoff);
    }

    /** Recovers every running job leased to {@code owner}; returns how many this call recovered. */
    public int recover(String owner, String reason) {
        return recover(owner, reason, job -> true);
    }

    /** Recovers the running jobs leased to {@code owner} that {@code which} picks. */
    public int recover(String owner, String reason, Predicate<Job> which) {
        int recovered = 0;
        for (Job job : leases.leasedBy(owner).stream().filter(which).toList()) {
            Instant now = clock.instant();
            int max = workers.find(job.worker())
                    .map(w -> job.options().effectiveMaxExecCount(w.maxExecCount()))
                    .orElse(job.attemptsInRound());
            boolean retry = job.attemptsInRound() < max;
            Instant retryAt = now.plus(retries.delayBefore(job.attemptsInRound() + 1));
            boolean done = retry
                    ? store.requeue(job.id(), owner, retryAt, reason, false)
                    : store.finish(job.id(), owner, JobState.ERRORED, reason, now);
            if (done) {
                attempts.insert(new AttemptStore.NewAttempt(
                        job.id(),
                        new AttemptRecord(
                                job.attempts(), owner, null, now, retry ? "retry" : "errored", null, reason)));
                recovered++;
                changes.changed(
                        retry
                                ? job.endedAs(JobState.QUEUED, reason, now, retryAt)
                                : job.endedAs(JobState.ERRORED, reason, now, null),
                        JobState.RUNNING);
                if (retry) {
                    events.publishEvent(new RetryScheduled(job.worker(), retryAt));
                }
            }
        }
        return recovered;
    }
}
