package org.jobstack.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.common.AfterCommit;
import org.jobstack.common.Ids;
import org.jobstack.common.Problem;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns job requests into durable queued jobs. A job exists as a committed row before anything
 * runs it; the local dispatcher is woken once the row is committed, unless the job was started
 * on this node at once ({@link ImmediateStarts}).
 */
@Service
public class JobQueue {

    /** Manual jobs sort this much earlier than automatic ones queued at the same time. */
    static final Duration MANUAL_HEAD_START = Duration.ofMinutes(5);

    private static final Duration SORT_STEP = Duration.ofNanos(1000);

    private final AtomicReference<Instant> lastKey = new AtomicReference<>(Instant.EPOCH);
    private final AtomicReference<Instant> lastManualKey = new AtomicReference<>(Instant.EPOCH);
    private final JobStore store;
    private final JobChanges changes;
    private final RateLimits limits;
    private final WorkerRegistry workers;
    private final ApplicationEventPublisher events;
    private final ClusterSignals signals;
    private final ObjectProvider<ImmediateStarts> immediateStarts;
    /** The dispatcher once found: looking it up in the bean factory cost 4 % of the pushes' writer per job. */
    private volatile ImmediateStarts resolvedStarts;

    private final Clock clock;

    public JobQueue(
            JobStore store,
            JobChanges changes,
            RateLimits limits,
            WorkerRegistry workers,
            ApplicationEventPublisher events,
            ClusterSignals signals,
            ObjectProvider<ImmediateStarts> immediateStarts,
            Clock clock) {
        this.immediateStarts = immediateStarts;
        this.store = store;
        this.changes = changes;
        this.limits = limits;
        this.workers = workers;
        this.events = events;
        this.signals = signals;
        this.clock = clock;
    }

    /** Refusals ({@link Problem}) happen before any write, so they leave a caller's transaction usable. */
    @Transactional(noRollbackFor = Problem.class)
    public Job push(JobRequest request) {
        WorkerDefinition worker = workers.find(request.worker())
                .orElseThrow(() -> Problem.notFound("Unknown worker " + request.worker()));
        limits.hit(request.domain(), "job-" + worker.name());
        Instant now = clock.instant();
        Job job = Job.queued(Ids.newTimeOrderedId(now), request, now);
        if (!worker.executes()) {
            job = job.claimedBy(null, now);
        }
        Optional<ImmediateStarts.Start> start = worker.executes() ? startAtOnce(job, now) : Optional.empty();
        try {
            store.insert(
                    start.map(ImmediateStarts.Start::job).orElse(job),
                    request.manual() ? sortKey(lastManualKey, now.minus(MANUAL_HEAD_START)) : sortKey(lastKey, now));
            changes.changed(job, null);
            // Announced in the transaction that stores it running: the trigger's state is refreshed
            // once, before the commit, and no listener runs on the job's way to its worker thread.
            start.ifPresent(s -> changes.changed(s.job(), JobState.QUEUED));
        } catch (RuntimeException e) {
            start.ifPresent(ImmediateStarts.Start::cancel);
            throw e;
        }
        if (start.isPresent()) {
            start.get().startAfterCommit();
        } else if (worker.executes()) {
            announce(job.worker());
        }
        return job;
    }

    private Optional<ImmediateStarts.Start> startAtOnce(Job job, Instant now) {
        ImmediateStarts starts = resolvedStarts;
        if (starts == null) {
            starts = immediateStarts.getIfAvailable();
            resolvedStarts = starts;
        }
        return starts == null ? Optional.empty() : starts.reserve(job, now);
    }

    /** A claim key in the manual lane, for a job an operator puts back in the queue. */
    Instant manualSortKey(Instant now) {
        return sortKey(lastManualKey, now.minus(MANUAL_HEAD_START));
    }

    /**
     * Claim order keys strictly increase on a node, per lane (manual, automatic), by at least the
     * database's microsecond: jobs queued together keep their order and no two share a key
     * (PostgreSQL's claim index degrades badly on runs of equal keys).
     */
    private static Instant sortKey(AtomicReference<Instant> lane, Instant wanted) {
        return lane.accumulateAndGet(wanted, (last, w) -> w.isAfter(last) ? w : last.plus(SORT_STEP));
    }

    /** A job of this worker was committed to the queue. */
    public record JobQueued(String worker) {}

    /**
     * Once the current transaction commits, tells this node's dispatcher and the other nodes that
     * jobs of {@code worker} wait in the queue.
     */
    public void announce(String worker) {
        AfterCommit.run(() -> {
            events.publishEvent(new JobQueued(worker));
            signals.broadcast(Signal.Topic.JOB_QUEUED, worker);
        });
    }
}
