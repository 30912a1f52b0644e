package org.jobstack.job;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.DatabaseFailures;
import org.jobstack.common.Phases;
import org.jobstack.common.Problem;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Jobs queued by clients, stored in groups: each request hands its job over and waits; one thread
 * takes every job waiting and queues them in one transaction (a group commit), so that concurrent
 * requests share one durable commit instead of paying one each. A request still gets its answer
 * only once its job is committed. A refusal ({@link Problem}: rate limit, unknown worker) is that
 * request's alone; when the group's transaction fails, its jobs are queued again one by one, so
 * that one the database refuses cannot fail the others, unless the database is unreachable or
 * cannot write: then the whole group gets that failure at once (a 503 for each request).
 */
@Component
public class GroupedPushes implements SmartLifecycle {

    private static final int MAX_GROUP = 256;
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    /** How often a waiting request checks that the writer is still there to write its job. */
    private static final long CHECK_MILLIS = 200;

    private record Pending(JobRequest request, CompletableFuture<Job> queued) {}

    private final JobQueue jobs;
    private final TransactionTemplate tx;
    private final BlockingQueue<Pending> waiting = new LinkedBlockingQueue<>();
    private final DistributionSummary groups;
    private final BackgroundLoop loop = BackgroundLoop.of(
                    "job-pushes", Duration.ofMillis(100), "Could not queue a group of jobs", this::writePass)
            .withLastPass(this::writeAll);

    public GroupedPushes(JobQueue jobs, PlatformTransactionManager transactions, MeterRegistry meters) {
        this.jobs = jobs;
        this.tx = new TransactionTemplate(transactions);
        this.groups = DistributionSummary.builder("jobstack.jobs.push.group")
                .description("Jobs queued by clients per commit")
                .register(meters);
    }

    /** Queues the job (committed when this returns), or throws what {@link JobQueue#push} throws. */
    public Job push(JobRequest request) {
        if (!loop.isRunning()) {
            return alone(request);
        }
        Pending pending = new Pending(request, new CompletableFuture<>());
        waiting.add(pending);
        loop.wake();
        while (true) {
            try {
                return pending.queued().get(CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException slow) {
                if (!loop.isRunning() && waiting.remove(pending)) {
                    return alone(request);
                }
            } catch (ExecutionException failed) {
                throw failed.getCause() instanceof RuntimeException e ? e : new IllegalStateException(failed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while queuing a job", e);
            }
        }
    }

    private Duration writePass() {
        List<Pending> group = new ArrayList<>();
        waiting.drainTo(group, MAX_GROUP);
        if (group.isEmpty()) {
            return IDLE_WAIT;
        }
        List<Runnable> answers = new ArrayList<>();
        int[] stored = {0};
        try {
            tx.executeWithoutResult(s -> {
                for (Pending p : group) {
                    try {
                        Job job = jobs.push(p.request());
                        answers.add(() -> p.queued().complete(job));
                        stored[0]++;
                    } catch (Problem refused) {
                        answers.add(() -> p.queued().completeExceptionally(refused));
                    }
                }
            });
            groups.record(stored[0]);
            answers.forEach(Runnable::run);
        } catch (RuntimeException groupFailed) {
            if (DatabaseFailures.unavailable(groupFailed) || DatabaseFailures.cannotWrite(groupFailed)) {
                // One by one would make the last request wait for one failure per job before it
                group.forEach(p -> p.queued().completeExceptionally(groupFailed));
                return Duration.ZERO;
            }
            for (Pending p : group) {
                try {
                    p.queued().complete(alone(p.request()));
                } catch (RuntimeException e) {
                    p.queued().completeExceptionally(e);
                }
            }
        }
        return waiting.isEmpty() ? IDLE_WAIT : Duration.ZERO;
    }

    private Job alone(JobRequest request) {
        Job job = tx.execute(s -> jobs.push(request));
        groups.record(1);
        return job;
    }

    /** Jobs handed over and not taken by the writer yet. */
    int waiting() {
        return waiting.size();
    }

    private void writeAll() {
        while (!waiting.isEmpty()) {
            writePass();
        }
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.PUSHES;
    }
}
