package org.jobstack.job.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.DaemonThreads;
import org.jobstack.common.Phases;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.ImmediateStarts;
import org.jobstack.job.Job;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobQueue;
import org.jobstack.job.JobState;
import org.jobstack.job.JobStore;
import org.jobstack.job.StartGate;
import org.jobstack.job.WorkerDefinition;
import org.jobstack.job.WorkerRegistry;
import org.jobstack.node.LocalNode;
import org.jobstack.node.NodeIdentity;
import org.jobstack.node.WorkerPauses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One thread per node claims jobs for every worker that has free slots and is not paused, and
 * hands them to that worker's pool. It sleeps until a job is queued (on this node or, through a
 * signal, on another), an attempt ends, a retry comes due, or the poll interval passes (the
 * fallback for signals lost). A drained node claims nothing. While outcomes wait to be written,
 * the claim is left to the outcome writer, which makes it in the same transaction (one durable
 * commit for the outcome of a job and the claim of the next). A job queued while its worker has a
 * free slot here and nothing known to wait may skip the claim altogether ({@link ImmediateStarts}).
 */
@Component
public class JobDispatcher implements SmartLifecycle, ImmediateStarts {

    private static final Logger log = LoggerFactory.getLogger(JobDispatcher.class);

    private final JobStore store;
    private final JobChanges changes;
    private final JobExecutor executor;
    private final Completions completions;
    private final WorkerPauses pauses;
    private final NodeIdentity node;
    private final LocalNode local;
    private final ClusterSignals signals;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration shutdownGrace;
    private final List<WorkerDefinition> executing;
    private final BackgroundLoop loop;
    private volatile Map<String, Pool> pools = Map.of();
    /**
     * Jobs claimed by this node and not yet through the executor (prefetched ones included), one
     * hold per claim: a retry may be claimed while the thread of its failed attempt is still
     * finishing, and that thread's end must not let go of the retry.
     */
    private final HeldJobs claimedHere = new HeldJobs();
    /**
     * The claims under way, each with when it started ({@link System#nanoTime()}): the jobs a claim
     * took are leased here from its commit, but known here only once it has returned. Claims left
     * to the outcome writer are under way from when they are left to it.
     */
    private final Map<Object, Long> claimsUnderWay = new ConcurrentHashMap<>();
    /** False once stopping: claims left to the outcome writer and not made yet then claim nothing. */
    private volatile boolean accepting;

    private long nextPoll;

    public JobDispatcher(
            JobStore store,
            JobChanges changes,
            JobExecutor executor,
            Completions completions,
            WorkerRegistry workers,
            WorkerPauses pauses,
            NodeIdentity node,
            LocalNode local,
            ClusterSignals signals,
            Clock clock,
            JobstackProperties properties) {
        this.store = store;
        this.pauses = pauses;
        this.changes = changes;
        this.executor = executor;
        this.completions = completions;
        this.node = node;
        this.local = local;
        this.signals = signals;
        this.clock = clock;
        this.pollInterval = properties.jobs().pollInterval();
        this.shutdownGrace = properties.jobs().shutdownGrace();
        this.executing =
                workers.all().stream().filter(w -> w.executes() && w.enabled()).toList();
        this.loop = BackgroundLoop.of(
                "job-dispatcher",
                pollInterval,
                "Claiming jobs failed; retrying after the poll interval",
                this::claimPass);
    }

    @EventListener
    void onJobQueued(JobQueue.JobQueued queued) {
        mayHaveWork(queued.worker());
    }

    /** Jobs queued on another node, or everything after signals may have been missed. */
    @EventListener
    void onSignal(Signal signal) {
        if (signal.topic() == Signal.Topic.JOB_QUEUED) {
            mayHaveWork(signal.subject());
        } else if (signal.topic() == Signal.Topic.RESYNC) {
            pools.values().forEach(pool -> pool.mayHaveWork = true);
            wake();
        }
    }

    @EventListener
    void onDrainChanged(LocalNode.DrainChanged changed) {
        pools.values().forEach(pool -> pool.mayHaveWork = true);
        wake();
    }

    /** A job of {@code worker} was put back in the queue, due later: claim it then, and wake the others. */
    @EventListener
    void onRetryScheduled(RetryScheduled retry) {
        Pool pool = pools.get(retry.worker());
        if (pool != null) {
            pool.due.accumulateAndGet(retry.at(), (a, b) -> a == null || b.isBefore(a) ? b : a);
            wake();
        }
    }

    private void mayHaveWork(String worker) {
        Pool pool = pools.get(worker);
        if (pool != null) {
            pool.mayHaveWork = true;
            wake();
        }
    }

    public void wake() {
        loop.wake();
    }

    /** Starts (or, after a stop, restarts) a pool per worker and the claiming thread. */
    @Override
    public void start() {
        Map<String, Pool> fresh = new LinkedHashMap<>();
        executing.forEach(worker -> fresh.put(worker.name(), new Pool(worker)));
        executing.stream()
                .filter(worker -> worker.clusterConcurrency() != null)
                .forEach(worker -> store.prepareClusterLimit(worker.name()));
        pools = fresh;
        nextPoll = System.nanoTime();
        accepting = true;
        loop.start();
    }

    /**
     * Claims for the pools that may have work: told a job was queued for them, or whose last claim
     * came back full. Every poll interval all pools are tried, for jobs queued by other nodes and
     * retries coming due. A pool whose queue came back short is left alone until then. Returns
     * how long to wait: not at all when a claim came back full, else until the next poll.
     */
    private Duration claimPass() {
        boolean pollAll = System.nanoTime() - nextPoll >= 0;
        if (pollAll) {
            nextPoll = System.nanoTime() + pollInterval.toNanos();
            pauses.refresh();
        }
        Duration untilPoll = Duration.ofNanos(Math.max(1_000_000, nextPoll - System.nanoTime()));
        if (local.draining()) {
            return untilPoll;
        }
        Instant now = clock.instant();
        Duration wait = untilPoll;
        boolean mayHaveMore = false;
        for (Pool pool : pools.values()) {
            Instant due = pool.due.get();
            if (due != null && !due.isAfter(now) && pool.due.compareAndSet(due, null)) {
                pool.mayHaveWork = true;
                signals.broadcast(Signal.Topic.JOB_QUEUED, pool.worker.name());
            } else if (due != null) {
                wait = shorter(wait, Duration.between(now, due));
            }
            if (pollAll || pool.mayHaveWork) {
                mayHaveMore |= pool.claim();
            }
        }
        return mayHaveMore ? Duration.ZERO : wait;
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Stops claiming, lets running attempts finish within the grace period, then stops the rest
     * and gives their jobs back to the queue.
     */
    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(5));
        accepting = false;
        awaitClaimsLeftToWriter(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        pools.values().forEach(p -> p.threads.shutdown());
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        awaitPools(deadline);
        if (executor.runningCount() > 0) {
            log.atWarn()
                    .addKeyValue("running", executor.runningCount())
                    .log("Shutdown grace period over; giving running jobs back to the queue");
            executor.giveBackAll("node " + node.id() + " shut down before the attempt ended");
            awaitPools(System.nanoTime() + TimeUnit.SECONDS.toNanos(15));
        }
    }

    /**
     * Until the claims left to the outcome writer have returned, and the jobs started at once have
     * been committed or not, so that their jobs still find a thread.
     */
    private void awaitClaimsLeftToWriter(long deadlineNanos) {
        while (pools.values().stream().anyMatch(p -> p.leftToWriter.get() > 0 || p.starting.get() > 0)
                && System.nanoTime() - deadlineNanos < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitPools(long deadlineNanos) {
        for (Pool pool : pools.values()) {
            try {
                pool.threads.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A slot of {@code queued}'s worker, if this node accepts work for it, has a slot free, knows of
     * no job of it waiting (one queued earlier would be overtaken) and is not claiming for it now.
     */
    @Override
    public Optional<Start> reserve(Job queued, Instant now) {
        Pool pool = pools.get(queued.worker());
        if (pool == null
                || !accepting
                || local.draining()
                || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return Optional.empty();
        }
        return pool.reserve(queued, now);
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.DISPATCHER;
    }

    /** Whether this node claimed the job and has not yet handed its outcome to the writer. */
    boolean handles(String jobId) {
        return claimedHere.holds(jobId);
    }

    /**
     * Whether a claim that started at or before {@code nanos} ({@link System#nanoTime()}) is still
     * under way: a job it took may be leased here in the database and not yet {@link #handles handled}.
     */
    boolean claimingSince(long nanos) {
        return claimsUnderWay.values().stream().anyMatch(startedAt -> startedAt - nanos <= 0);
    }

    /** Whether this node knows of jobs of {@code worker} waiting in the queue (or has not looked yet). */
    public boolean knowsOfWaitingJobs(String worker) {
        Pool pool = pools.get(worker);
        return pool != null && pool.mayHaveWork;
    }

    /** Running attempts per worker on this node. */
    public Map<String, Integer> busy() {
        Map<String, Integer> busy = new LinkedHashMap<>();
        pools.forEach((name, pool) -> busy.put(name, pool.busy.get()));
        return busy;
    }

    private final class Pool {
        private final WorkerDefinition worker;
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

        Pool(WorkerDefinition worker) {
            this.worker = worker;
            this.threads = Executors.newFixedThreadPool(
                    worker.concurrency(), DaemonThreads.numbered("worker-" + worker.name()));
        }

        /**
         * Claims what free slots can run (plus, for a prefetching worker, enough to refill its buffer
         * once half of it is used); true when it got all it asked for, so more may be waiting. A
         * worker with a cluster-wide limit may get less while jobs wait, so it is tried again at
         * every wake-up (an attempt ending here, or a signal that one ended elsewhere).
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
            Object claim = new Object();
            claimsUnderWay.put(claim, System.nanoTime());
            try {
                jobs = clusterLimit == null
                        ? store.claim(worker.name(), wanted, node.id(), clock.instant())
                        : store.claimWithinClusterLimit(
                                worker.name(), wanted, clusterLimit, node.id(), clock.instant());
                // Known as this node's before any listener runs: a listener may wait on a lock for a
                // while, and the lease keeper takes a claimed job nobody here knows about as lost.
                hold(jobs);
            } finally {
                claimsUnderWay.remove(claim);
            }
            for (Job job : jobs) {
                changes.changed(job, JobState.QUEUED);
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
            if (wanted <= 0 || (worker.prefetch() > 1 && inFlight > capacity / 2) || pauses.isPaused(worker.name())) {
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
                    || !accepting
                    || local.draining()
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
            Object claim = new Object();
            claimsUnderWay.put(claim, System.nanoTime());
            leftToWriter.addAndGet(wanted);
            boolean left = completions.claimAlong(new Completions.ClaimAlong() {
                @Override
                public List<Job> claim(boolean withOutcomes) {
                    if (!accepting || local.draining() || pauses.isPaused(worker.name())) {
                        return List.of();
                    }
                    return withOutcomes
                            ? store.claimInCurrentTransaction(worker.name(), wanted, node.id(), clock.instant())
                            : store.claim(worker.name(), wanted, node.id(), clock.instant());
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
                            changes.changed(job, JobState.QUEUED);
                            run(job);
                        });
                    }
                    if (jobs.size() == wanted) {
                        mayHaveWork = true;
                    }
                    wake();
                }

                @Override
                public void failed() {
                    returned(claim, wanted);
                    mayHaveWork = true;
                    wake();
                }
            });
            if (!left) {
                returned(claim, wanted);
            }
            return left;
        }

        /** Never waits: when the dispatcher is claiming for this worker, the job goes to the queue. */
        Optional<Start> reserve(Job queued, Instant now) {
            if (mayHaveWork || worker.clusterConcurrency() != null || !claiming.tryLock()) {
                return Optional.empty();
            }
            try {
                if (mayHaveWork
                        || busy.get() + leftToWriter.get() >= worker.concurrency()
                        || pauses.isPaused(worker.name())) {
                    return Optional.empty();
                }
                Job running = queued.claimedBy(node.id(), now);
                StartGate gate = new StartGate();
                hold(List.of(running));
                try {
                    threads.execute(() -> run(running, gate));
                } catch (RejectedExecutionException stopping) {
                    release(running);
                    return Optional.empty();
                }
                starting.incrementAndGet();
                return Optional.of(new KeptSlot(running, gate));
            } finally {
                claiming.unlock();
            }
        }

        /**
         * A slot kept for a job started at once, whose worker thread prepares its attempt while the
         * job is being stored and runs it once stored ({@link StartGate}).
         */
        private final class KeptSlot implements Start, TransactionSynchronization {
            private final Job job;
            private final StartGate gate;
            private final AtomicBoolean ended = new AtomicBoolean();

            KeptSlot(Job job, StartGate gate) {
                this.job = job;
                this.gate = gate;
            }

            @Override
            public Job job() {
                return job;
            }

            @Override
            public void startAfterCommit() {
                TransactionSynchronizationManager.registerSynchronization(this);
            }

            /** Called by the transaction once it has ended (after every other's after-commit step). */
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    cancel();
                } else if (ended.compareAndSet(false, true)) {
                    starting.decrementAndGet();
                    gate.stored();
                }
            }

            /** The attempt ends without a trace; its thread gives the slot back. */
            @Override
            public void cancel() {
                if (ended.compareAndSet(false, true)) {
                    starting.decrementAndGet();
                    gate.abandoned();
                }
            }
        }

        private void returned(Object claim, int wanted) {
            leftToWriter.addAndGet(-wanted);
            claimsUnderWay.remove(claim);
        }

        private void hold(List<Job> jobs) {
            for (Job job : jobs) {
                busy.incrementAndGet();
                claimedHere.hold(job.id());
            }
        }

        private void run(Job job) {
            run(job, StartGate.OPEN);
        }

        private void run(Job job, StartGate gate) {
            try {
                executor.execute(job, gate);
            } finally {
                letGo(job);
                if (!claimWithTheOutcome()) {
                    wake();
                }
            }
        }

        private void release(Job job) {
            letGo(job);
            wake();
        }

        private void letGo(Job job) {
            claimedHere.release(job.id());
            busy.decrementAndGet();
        }
    }
}
