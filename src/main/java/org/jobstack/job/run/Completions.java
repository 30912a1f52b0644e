package org.jobstack.job.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.jobstack.common.Sql.ts;
import org.jobstack.job.Job;
import org.jobstack.job.JobState;

/**
 * Writes the outcomes of attempts in groups: one thread takes every outcome waiting and stores
 * them in one transaction (a group commit), so that a thousand short jobs do not cost a thousand
 * commits. Each write is still guarded by the job's lease. Until its outcome is written a job
 * stays {@code running}; a crash in between makes it run again, as any crash during a run does.
 */
@Component
public class Completions implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Completions.class);
    private static final int MAX_BATCH = 1000;

    /**
     * What to write: {@code state} DONE/ERRORED finishes the job, QUEUED puts it back due at {@code runAt};
     * and the attempt's record ({@code outcome}, {@code startedAt}, {@code exitCode}).
     */
    public record Completion(Job job, String owner, JobState state, String outcome, String error, Instant startedAt,
                             Instant at, Instant runAt, Integer exitCode, boolean refund, Consumer<Boolean> then) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final BlockingQueue<Completion> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread thread;

    public Completions(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
    }

    public void submit(Completion completion) {
        if (!running) {
            write(List.of(completion));
            return;
        }
        queue.add(completion);
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "job-completions");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running || !queue.isEmpty()) {
            try {
                Completion first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Completion> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.atError().setCause(e).log("Could not write job outcomes; those jobs run again when their lease expires");
            }
        }
    }

    private void write(List<Completion> batch) {
        int[] written = tx.execute(s -> {
            int[] counts = new int[batch.size()];
            List<Object[]> finishes = new ArrayList<>();
            List<Integer> finishIndex = new ArrayList<>();
            List<Object[]> requeues = new ArrayList<>();
            List<Integer> requeueIndex = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Completion c = batch.get(i);
                if (c.state() == JobState.QUEUED) {
                    requeues.add(new Object[]{ts(c.runAt()), c.error(), c.refund() ? 1 : 0, c.job().id(), c.owner()});
                    requeueIndex.add(i);
                } else {
                    finishes.add(new Object[]{c.state().value(), ts(c.at()), c.error(), c.exitCode(),
                            ts(c.startedAt()), c.job().id(), c.owner()});
                    finishIndex.add(i);
                }
            }
            scatter(counts, finishIndex, jdbc.batchUpdate("""
                    UPDATE job SET state = ?, finished_at = ?, error = ?, exit_code = ?, attempt_started_at = ?,
                        lease_owner = NULL
                    WHERE id = ? AND state = 'running' AND lease_owner = ?""", finishes));
            scatter(counts, requeueIndex, jdbc.batchUpdate("""
                    UPDATE job SET state = 'queued', run_at = ?, error = ?, lease_owner = NULL, attempts = attempts - ?
                    WHERE id = ? AND state = 'running' AND lease_owner = ?""", requeues));
            recordAttempts(batch, counts);
            return counts;
        });
        for (int i = 0; i < batch.size(); i++) {
            try {
                batch.get(i).then().accept(written[i] == 1);
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("After writing a job outcome");
            }
        }
    }

    /**
     * The attempts whose outcome was written (their lease still held) and that did not end their
     * job done get a row; a done attempt is told by the job row itself (start, end, exit code).
     */
    private void recordAttempts(List<Completion> batch, int[] counts) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Completion c = batch.get(i);
            if (counts[i] == 1 && c.state() != JobState.DONE) {
                rows.add(new Object[]{c.job().id(), c.job().attempts(), c.owner(), ts(c.startedAt()), ts(c.at()),
                        c.outcome(), c.exitCode(), c.error()});
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                INSERT INTO job_attempt (job_id, attempt, node, started_at, finished_at, outcome, exit_code, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", rows);
    }

    private static void scatter(int[] counts, List<Integer> indexes, int[] results) {
        for (int i = 0; i < results.length; i++) {
            counts[indexes.get(i)] = results[i];
        }
    }

    /** Stops after every outcome already submitted is written. */
    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started before the dispatcher and stopped after it, so that no outcome is left unwritten. */
    @Override
    public int getPhase() {
        return JobDispatcher.PHASE - 5;
    }
}
