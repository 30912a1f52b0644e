package org.jobstack.job.run;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jobstack.common.DaemonThreads;
import org.jobstack.job.ImmediateStarts;
import org.jobstack.job.Job;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobLeases;
import org.jobstack.job.JobState;
import org.jobstack.job.StartGate;
import org.jobstack.job.WorkerDefinition;
import org.jobstack.node.LocalNode;
import org.jobstack.node.NodeIdentity;
import org.jobstack.node.WorkerPauses;

/**
 * The threads of one worker type on this node, and the claims that feed them: made by the
 * dispatcher's thread ({@link #claim}), left to the outcome writer to make in the transaction of
 * the outcomes it writes, or skipped for a job started at once ({@link #reserve}).
 */
final class WorkerPool {

    /** What every pool of a node works with; {@code wake} wakes the dispatcher's thread. */
    record Shared(
            JobLeases leases,
            JobChanges changes,
            JobExecutor executor,
            Completions completions,
            WorkerPauses pauses,
            NodeIdentity node,
            LocalNode local,
            Clock clock,
            NodeClaims claims,
            Runnable wake) {}

    private final WorkerDefinition worker;
    private final Shared shared;
    private final ExecutorService threads;
    private final AtomicInteger busy = new AtomicInteger();
    /** Slots kept for the claims left to the outcome writer and not returned yet. */
    private final AtomicInteger leftToWriter = new AtomicInteger();
    /** Slots kept for jobs started at once whose transaction has not ended yet. */
    private final AtomicInteger starting = new AtomicInteger();
    /** Held while claiming: a slot is never both claimed for and kept for a job started at once. */
    private final ReentrantLock claiming = new ReentrantLock();
    /** Set when a job is queued for this worker; cleared when a claim finds the queue short. */
    private volatile boolean mayHaveWork = true;
    /** The earliest time a retry of this worker known to this node comes due, if any. */
    private final AtomicReference<Instant> due = new AtomicReference<>();

    WorkerPool(WorkerDefinition worker, Shared shared) {
        this.worker = worker;
        this.shared = shared;
        this.threads =
                Executors.newFixedThreadPool(worker.concurrency(), DaemonThreads.numbered("worker-" + worker.name()));
    }

    String name() {
        return worker.name();
    }

    /** A job may be waiting: told one was queued, or a claim came back full. */
    void mayHaveWork() {
        mayHaveWork = true;
    }

    boolean knowsOfWaitingJobs() {
        return mayHaveWork;
    }

    /** A retry of this worker is due at {@code at}: the earliest of those known is kept. */
    void retryDue(Instant at) {
        due.accumulateAndGet(at, (a, b) -> a == null || b.isBefore(a) ? b : a);
    }

    /** The earliest retry known to come due, or null. */
    Instant nextRetry() {
        return due.get();
    }

    /** Takes the retry due at {@code at} as come: there is work to claim. False if another took it. */
    boolean retryCame(Instant at) {
        if (due.compareAndSet(at, null)) {
            mayHaveWork = true;
            return true;
        }
        return false;
    }

    int busy() {
        return busy.get();
    }

    /** Whether claims left to the outcome writer or jobs started at once have not come back yet. */
    boolean claimsPending() {
        return leftToWriter.get() > 0 || starting.get() > 0;
    }

    void shutdown() {
        threads.shutdown();
    }

    void awaitTermination(long nanos) throws InterruptedException {
        threads.awaitTermination(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Claims what free slots can run (plus, for a prefetching worker, enough to refill its buffer
     * once half of it is used); true when it got all it asked for, so more may be waiting. A worker
     * with a cluster-wide limit may get less while jobs wait, so it is tried again at every wake-up
     * (an attempt ending here, or a signal that one ended elsewhere).
     */
    boolean claim() {
        claiming.lock();
        try {
            return claimFreeSlots();
        } finally {
            claiming.unlock();
        }
    }

    private boolean claimFreeSlots() {
        int wanted = wanted();
        if (wanted == 0) {
            return false;
        }
        Integer clusterLimit = worker.clusterConcurrency();
        mayHaveWork = clusterLimit != null;
        if (clusterLimit == null && leaveToWriter(wanted)) {
            return false;
        }
        List<Job> jobs;
        Object claim = shared.claims().begin();
        try {
            Instant now = shared.clock().instant();
            String node = shared.node().id();
            jobs = clusterLimit == null
                    ? shared.leases().claim(worker.name(), wanted, node, now)
                    : shared.leases().claimWithinClusterLimit(worker.name(), wanted, clusterLimit, node, now);
            // Known as this node's before any listener runs: a listener may wait on a lock for a
            // while, and the lease keeper takes a claimed job nobody here knows about as lost.
            hold(jobs);
        } finally {
            shared.claims().end(claim);
        }
        for (Job job : jobs) {
            shared.changes().changed(job, JobState.QUEUED);
            threads.execute(() -> run(job));
        }
        if (jobs.size() == wanted) {
            mayHaveWork = true;
        }
        return jobs.size() == wanted;
    }

    /** How many jobs free slots can take now (and a prefetching worker's buffer); 0 while paused. */
    private int wanted() {
        int inFlight = busy.get() + leftToWriter.get();
        int capacity = worker.concurrency() * worker.prefetch();
        int wanted = capacity - inFlight;
        if (wanted <= 0
                || (worker.prefetch() > 1 && inFlight > capacity / 2)
                || shared.pauses().isPaused(worker.name())) {
            return 0;
        }
        return wanted;
    }

    /**
     * Called by a worker thread just after its attempt's outcome went to the writer: leaves the
     * claim of the next jobs to the writer, to be made in that outcome's transaction. Waking the
     * dispatcher instead, on a busy machine, it often runs once the outcome is written and then
     * claims in a transaction of its own. True when left; false when this worker is not to claim
     * now (paused, drained, a cluster-wide limit, no job known to wait), the dispatcher is
     * claiming for it, or no outcome waits any more.
     */
    private boolean claimWithTheOutcome() {
        if (!mayHaveWork
                || !shared.claims().accepting()
                || shared.local().draining()
                || worker.clusterConcurrency() != null
                || !claiming.tryLock()) {
            return false;
        }
        try {
            int wanted = wanted();
            if (wanted == 0) {
                return false;
            }
            mayHaveWork = false;
            if (leaveToWriter(wanted)) {
                return true;
            }
            mayHaveWork = true;
            return false;
        } finally {
            claiming.unlock();
        }
    }

    /**
     * Leaves the claim of {@code wanted} jobs to the outcome writer if outcomes are waiting, their
     * slots kept meanwhile; false when none is waiting. The claimed jobs are announced on their
     * worker thread, so that a slow listener does not hold the writer up.
     */
    private boolean leaveToWriter(int wanted) {
        Object claim = shared.claims().begin();
        leftToWriter.addAndGet(wanted);
        boolean left = shared.completions().claimAlong(new Completions.ClaimAlong() {
            @Override
            public List<Job> claim(boolean withOutcomes) {
                if (!shared.claims().accepting()
                        || shared.local().draining()
                        || shared.pauses().isPaused(worker.name())) {
                    return List.of();
                }
                Instant now = shared.clock().instant();
                String node = shared.node().id();
                return withOutcomes
                        ? shared.leases().claimInCurrentTransaction(worker.name(), wanted, node, now)
                        : shared.leases().claim(worker.name(), wanted, node, now);
            }

            @Override
            public void claimed(List<Job> jobs) {
                try {
                    hold(jobs);
                } finally {
                    returned(claim, wanted);
                }
                for (Job job : jobs) {
                    threads.execute(() -> {
                        shared.changes().changed(job, JobState.QUEUED);
                        run(job);
                    });
                }
                if (jobs.size() == wanted) {
                    mayHaveWork = true;
                }
                shared.wake().run();
            }

            @Override
            public void failed() {
                returned(claim, wanted);
                mayHaveWork = true;
                shared.wake().run();
            }
        });
        if (!left) {
            returned(claim, wanted);
        }
        return left;
    }

    /** Never waits: when the dispatcher is claiming for this worker, the job goes to the queue. */
    Optional<ImmediateStarts.Start> reserve(Job queued, Instant now) {
        if (mayHaveWork || worker.clusterConcurrency() != null || !claiming.tryLock()) {
            return Optional.empty();
        }
        try {
            if (mayHaveWork
                    || busy.get() + leftToWriter.get() >= worker.concurrency()
                    || shared.pauses().isPaused(worker.name())) {
                return Optional.empty();
            }
            Job running = queued.claimedBy(shared.node().id(), now);
            StartGate gate = new StartGate();
            hold(List.of(running));
            try {
                threads.execute(() -> run(running, gate));
            } catch (RejectedExecutionException stopping) {
                letGo(running);
                shared.wake().run();
                return Optional.empty();
            }
            starting.incrementAndGet();
            return Optional.of(new KeptSlot(running, gate, starting));
        } finally {
            claiming.unlock();
        }
    }

    private void returned(Object claim, int wanted) {
        leftToWriter.addAndGet(-wanted);
        shared.claims().end(claim);
    }

    private void hold(List<Job> jobs) {
        for (Job job : jobs) {
            busy.incrementAndGet();
            shared.claims().hold(job.id());
        }
    }

    private void run(Job job) {
        run(job, StartGate.OPEN);
    }

    private void run(Job job, StartGate gate) {
        try {
            shared.executor().execute(job, gate);
        } finally {
            letGo(job);
            if (!claimWithTheOutcome()) {
                shared.wake().run();
            }
        }
    }

    private void letGo(Job job) {
        shared.claims().release(job.id());
        busy.decrementAndGet();
    }
}
