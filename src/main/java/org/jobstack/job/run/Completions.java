package org.jobstack.job.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Phases;
import org.jobstack.job.AttemptRecord;
import org.jobstack.job.AttemptStore;
import org.jobstack.job.Job;
import org.jobstack.job.JobState;
import org.jobstack.job.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the outcomes of attempts in groups: one thread takes every outcome waiting and stores
 * them in one transaction (a group commit), so that a thousand short jobs do not cost a thousand
 * commits. Each write is still guarded by the job's lease. Until its outcome is written a job
 * stays {@code running}; a crash in between makes it run again, as any crash during a run does.
 * An outcome whose write fails (the database is away) is kept and written again until it is
 * written: this node's lease never expires while it lives, so a dropped outcome would leave its job
 * {@code running} for ever. After a failed group, outcomes are written one by one, so that one the
 * database refuses for its data cannot hold back the others; that one alone is given up.
 *
 * <p>The dispatcher may leave a claim to the writer while outcomes wait ({@link #claimAlong}): the
 * jobs are then claimed in the transaction that writes those outcomes, one durable commit for both
 * where there were two. A claim that fails with the transaction is handed back to the dispatcher.
 */
@Component
class Completions implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Completions.class);
    private static final int MAX_BATCH = 1000;
    /** The writer is woken by every submission; this is only how often it looks anyway. */
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);

    /**
     * What to write: {@code state} DONE/ERRORED finishes the job, QUEUED puts it back due at {@code runAt};
     * and the attempt's record ({@code outcome}, {@code startedAt}, {@code exitCode}).
     */
    public record Completion(
            Job job,
            String owner,
            JobState state,
            String outcome,
            String error,
            Instant startedAt,
            Instant at,
            Instant runAt,
            Integer exitCode,
            boolean refund,
            Consumer<Boolean> then) {}

    /** A claim made by the writer in the transaction of the outcomes it writes next. */
    interface ClaimAlong {
        /** Claims, inside the writer's transaction; {@code withOutcomes} when it writes outcomes too. */
        List<Job> claim(boolean withOutcomes);

        /** After the commit, with the jobs {@link #claim} took (on the writer's thread: keep it short). */
        void claimed(List<Job> jobs);

        /** The transaction failed, or the writer stopped before making the claim: nothing was claimed. */
        void failed();
    }

    private final JobStore jobs;
    private final AttemptStore attempts;
    private final TransactionTemplate tx;
    private final BlockingQueue<Completion> queue = new LinkedBlockingQueue<>();
    private final Queue<ClaimAlong> claims = new ConcurrentLinkedQueue<>();
    /**
     * Ids of the jobs whose outcome is submitted and not written yet, one hold per outcome: the
     * retry of a job may be submitted before the writer, done with the outcome before it, lets go.
     */
    private final HeldJobs pending = new HeldJobs();
    /** Taken from the queue, not written yet; only the writer's thread touches it. */
    private final List<Completion> unwritten = new ArrayList<>();

    private boolean lastWriteFailed;
    private final BackgroundLoop loop = BackgroundLoop.of(
                    "job-completions",
                    IDLE_WAIT,
                    "Could not write job outcomes; they are kept and written again",
                    this::writePass)
            .withLastPass(this::writeAll);

    public Completions(JobStore jobs, AttemptStore attempts, PlatformTransactionManager transactions) {
        this.jobs = jobs;
        this.attempts = attempts;
        this.tx = new TransactionTemplate(transactions);
    }

    public void submit(Completion completion) {
        pending.hold(completion.job().id());
        if (!loop.isRunning()) {
            write(List.of(completion), false);
            return;
        }
        queue.add(completion);
        loop.wake();
    }

    /**
     * Leaves a claim to the writer when outcomes are waiting to be written: it is made in their
     * transaction. False when none is waiting (or the writer is stopped): the caller claims itself.
     */
    boolean claimAlong(ClaimAlong claim) {
        if (!loop.isRunning() || pending.isEmpty()) {
            return false;
        }
        claims.add(claim);
        loop.wake();
        return true;
    }

    /** Whether the outcome of the job's attempt is waiting to be written. */
    boolean holds(String jobId) {
        return pending.holds(jobId);
    }

    @Override
    public void start() {
        loop.start();
    }

    /**
     * Writes what is waiting, in one transaction (one by one after a failure); at once again when
     * more is waiting. A failed write throws, and its outcomes are written at the next pass.
     */
    private Duration writePass() {
        if (unwritten.isEmpty()) {
            queue.drainTo(unwritten, MAX_BATCH);
        }
        try {
            if (!lastWriteFailed) {
                write(List.copyOf(unwritten), true);
                unwritten.clear();
            }
            while (!unwritten.isEmpty()) {
                writeAlone(unwritten.get(0));
                unwritten.remove(0);
            }
            lastWriteFailed = false;
            if (queue.isEmpty()) {
                // claims left while outcomes are queued go with those, at the next pass
                write(List.of(), true);
            }
        } catch (RuntimeException e) {
            lastWriteFailed = true;
            throw e;
        }
        return queue.isEmpty() && claims.isEmpty() ? IDLE_WAIT : Duration.ZERO;
    }

    private void writeAlone(Completion c) {
        try {
            write(List.of(c), false);
        } catch (DataIntegrityViolationException refused) {
            pending.release(c.job().id());
            log.atError()
                    .addKeyValue("job_id", c.job().id())
                    .setCause(refused)
                    .log(
                            "The database refuses the outcome of job {}: given up",
                            c.job().id());
        }
    }

    private void writeAll() {
        while (!queue.isEmpty()) {
            writePass();
        }
        failClaims(drainClaims());
    }

    /** Writes the outcomes and, {@code withClaims}, makes the claims waiting: one transaction. */
    private void write(List<Completion> batch, boolean withClaims) {
        if (batch.isEmpty() && (!withClaims || claims.isEmpty())) {
            return;
        }
        List<ClaimAlong> claiming = new ArrayList<>();
        List<List<Job>> claimed = new ArrayList<>();
        int[] written;
        try {
            written = tx.execute(s -> {
                int[] counts = writeOutcomes(batch);
                if (withClaims) {
                    claiming.addAll(drainClaims());
                    for (ClaimAlong claim : claiming) {
                        claimed.add(claim.claim(!batch.isEmpty()));
                    }
                }
                return counts;
            });
        } catch (RuntimeException e) {
            failClaims(claiming);
            throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
            pending.release(batch.get(i).job().id());
            try {
                batch.get(i).then().accept(written[i] == 1);
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("After writing a job outcome");
            }
        }
        for (int i = 0; i < claiming.size(); i++) {
            try {
                claiming.get(i).claimed(claimed.get(i));
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("After claiming jobs with outcomes");
            }
        }
    }

    private List<ClaimAlong> drainClaims() {
        List<ClaimAlong> drained = new ArrayList<>();
        for (ClaimAlong claim = claims.poll(); claim != null; claim = claims.poll()) {
            drained.add(claim);
        }
        return drained;
    }

    private static void failClaims(List<ClaimAlong> failed) {
        for (ClaimAlong claim : failed) {
            try {
                claim.failed();
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("After a failed claim with outcomes");
            }
        }
    }

    /** The outcomes' updates and attempt rows, in the current transaction; per outcome, 1 when written. */
    private int[] writeOutcomes(List<Completion> batch) {
        int[] counts = new int[batch.size()];
        if (batch.isEmpty()) {
            return counts;
        }
        List<JobStore.Finish> finishes = new ArrayList<>();
        List<Integer> finishIndex = new ArrayList<>();
        List<JobStore.Requeue> requeues = new ArrayList<>();
        List<Integer> requeueIndex = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Completion c = batch.get(i);
            if (c.state() == JobState.QUEUED) {
                requeues.add(new JobStore.Requeue(c.job().id(), c.owner(), c.runAt(), c.error(), c.refund()));
                requeueIndex.add(i);
            } else {
                finishes.add(new JobStore.Finish(
                        c.job().id(), c.owner(), c.state(), c.at(), c.error(), c.exitCode(), c.startedAt()));
                finishIndex.add(i);
            }
        }
        scatter(counts, finishIndex, jobs.finishAll(finishes));
        scatter(counts, requeueIndex, jobs.requeueAll(requeues));
        attempts.insertAll(endedAttempts(batch, counts));
        return counts;
    }

    /**
     * The attempts whose outcome was written (their lease still held) and that did not end their
     * job done get a row; a done attempt is told by the job row itself (start, end, exit code).
     */
    private static List<AttemptStore.NewAttempt> endedAttempts(List<Completion> batch, int[] counts) {
        List<AttemptStore.NewAttempt> rows = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Completion c = batch.get(i);
            if (counts[i] == 1 && c.state() != JobState.DONE) {
                rows.add(new AttemptStore.NewAttempt(
                        c.job().id(),
                        new AttemptRecord(
                                c.job().attempts(),
                                c.owner(),
                                c.startedAt(),
                                c.at(),
                                c.outcome(),
                                c.exitCode(),
                                c.error())));
            }
        }
        return rows;
    }

    private static void scatter(int[] counts, List<Integer> indexes, int[] results) {
        for (int i = 0; i < results.length; i++) {
            counts[indexes.get(i)] = results[i];
        }
    }

    /** Stops after every outcome already submitted is written. */
    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(10));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.OUTCOMES;
    }
}
