package org.jobstack.job.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Phases;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.ImmediateStarts;
import org.jobstack.job.Job;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobLeases;
import org.jobstack.job.JobQueue;
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

    private final JobLeases leases;
    private final JobExecutor executor;
    private final WorkerPauses pauses;
    private final NodeIdentity node;
    private final LocalNode local;
    private final ClusterSignals signals;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration shutdownGrace;
    private final List<WorkerDefinition> executing;
    private final BackgroundLoop loop;
    private final NodeClaims claims = new NodeClaims();
    private final WorkerPool.Shared shared;
    private volatile Map<String, WorkerPool> pools = Map.of();

    private long nextPoll;

    public JobDispatcher(
            JobLeases leases,
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
        this.leases = leases;
        this.pauses = pauses;
        this.executor = executor;
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
        this.shared = new WorkerPool.Shared(
                leases, changes, executor, completions, pauses, node, local, clock, claims, this::wake);
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
            pools.values().forEach(WorkerPool::mayHaveWork);
            wake();
        }
    }

    @EventListener
    void onDrainChanged(LocalNode.DrainChanged changed) {
        pools.values().forEach(WorkerPool::mayHaveWork);
        wake();
    }

    /** A job of {@code worker} was put back in the queue, due later: claim it then, and wake the others. */
    @EventListener
    void onRetryScheduled(RetryScheduled retry) {
        WorkerPool pool = pools.get(retry.worker());
        if (pool != null) {
            pool.retryDue(retry.at());
            wake();
        }
    }

    private void mayHaveWork(String worker) {
        WorkerPool pool = pools.get(worker);
        if (pool != null) {
            pool.mayHaveWork();
            wake();
        }
    }

    public void wake() {
        loop.wake();
    }

    /** Starts (or, after a stop, restarts) a pool per worker and the claiming thread. */
    @Override
    public void start() {
        Map<String, WorkerPool> fresh = new LinkedHashMap<>();
        executing.forEach(worker -> fresh.put(worker.name(), new WorkerPool(worker, shared)));
        executing.stream()
                .filter(worker -> worker.clusterConcurrency() != null)
                .forEach(worker -> leases.prepareClusterLimit(worker.name()));
        pools = fresh;
        nextPoll = System.nanoTime();
        claims.accepting(true);
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
        for (WorkerPool pool : pools.values()) {
            Instant due = pool.nextRetry();
            if (due != null && !due.isAfter(now) && pool.retryCame(due)) {
                signals.broadcast(Signal.Topic.JOB_QUEUED, pool.name());
            } else if (due != null) {
                wait = shorter(wait, Duration.between(now, due));
            }
            if (pollAll || pool.knowsOfWaitingJobs()) {
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
        claims.accepting(false);
        awaitClaimsLeftToWriter(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        pools.values().forEach(WorkerPool::shutdown);
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
        while (pools.values().stream().anyMatch(WorkerPool::claimsPending) && System.nanoTime() - deadlineNanos < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitPools(long deadlineNanos) {
        for (WorkerPool pool : pools.values()) {
            try {
                pool.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()));
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
        WorkerPool pool = pools.get(queued.worker());
        if (pool == null
                || !claims.accepting()
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
        return claims.holds(jobId);
    }

    /**
     * Whether a claim that started at or before {@code nanos} ({@link System#nanoTime()}) is still
     * under way: a job it took may be leased here in the database and not yet {@link #handles handled}.
     */
    boolean claimingSince(long nanos) {
        return claims.underWaySince(nanos);
    }

    /** Whether this node knows of jobs of {@code worker} waiting in the queue (or has not looked yet). */
    public boolean knowsOfWaitingJobs(String worker) {
        WorkerPool pool = pools.get(worker);
        return pool != null && pool.knowsOfWaitingJobs();
    }

    /** Running attempts per worker on this node. */
    public Map<String, Integer> busy() {
        Map<String, Integer> busy = new LinkedHashMap<>();
        pools.forEach((name, pool) -> busy.put(name, pool.busy()));
        return busy;
    }
}
