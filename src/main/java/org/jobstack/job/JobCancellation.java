package org.jobstack.job;

import java.time.Clock;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.common.Problem;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Cancelling a job: a queued one is errored at once; a running one is stopped by the node running
 * it (at once when that is this node, else at its next heartbeat), its process tree killed, and
 * it ends errored with the reason. A client job is errored like a queued one.
 */
@Service
public class JobCancellation {

    private final JobStore jobs;
    private final ApplicationEventPublisher events;
    private final ClusterSignals signals;
    private final JobChanges changes;
    private final Clock clock;

    public JobCancellation(
            JobStore jobs, ApplicationEventPublisher events, ClusterSignals signals, JobChanges changes, Clock clock) {
        this.jobs = jobs;
        this.events = events;
        this.signals = signals;
        this.changes = changes;
        this.clock = clock;
    }

    public Job cancel(Job job, String reason) {
        String error = JobStore.CancelRequest.errorOf(reason);
        if (job.state() == JobState.QUEUED || WorkerRegistry.CLIENT.equals(job.worker())) {
            if (job.state().isFinal()
                    || !(jobs.cancelQueued(job.id(), error, clock.instant())
                            || jobs.completeClientJob(job.id(), JobState.ERRORED, error, clock.instant()))) {
                throw Problem.conflict("Job " + job.id() + " is already "
                        + jobs.find(job.id()).orElseThrow().state().value());
            }
            Job cancelled = jobs.find(job.id()).orElseThrow();
            changes.changed(cancelled, job.state());
            return cancelled;
        }
        if (job.state() == JobState.RUNNING && jobs.requestCancel(job.id(), error)) {
            events.publishEvent(new JobChanges.CancelRequested(job.id(), reason));
            signals.broadcast(Signal.Topic.CANCEL, job.id() + " " + reason);
            return jobs.find(job.id()).orElseThrow();
        }
        throw Problem.conflict("Job " + job.id() + " is already " + job.state().value());
    }
}
