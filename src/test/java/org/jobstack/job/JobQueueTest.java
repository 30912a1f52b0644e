package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.jobstack.common.Problem;
import org.jobstack.job.run.JobDispatcher;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class JobQueueTest extends IntegrationTest {

    @Autowired
    JobQueue queue;

    @Autowired
    JobStore store;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JdbcClient jdbc;

    @Test
    void should_run_nothing_until_the_job_row_is_committed() throws Exception {
        String domain = api.newInstance(null);
        CountDownLatch pushed = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Job> job =
                CompletableFuture.supplyAsync(() -> new TransactionTemplate(transactions).execute(s -> {
                    Job j = queue.push(JobRequest.of(domain, "log", "\"hello\""));
                    pushed.countDown();
                    waitFor(commit);
                    return j;
                }));
        assertThat(pushed.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(600);

        commit.countDown();
        String id = job.get(10, TimeUnit.SECONDS).id();

        assertThat(store.find(id)).isPresent();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find(id).orElseThrow().state() == JobState.DONE);
        Job done = store.find(id).orElseThrow();
        Instant attemptStarted = jdbc.sql("SELECT attempt_started_at FROM job WHERE id = ?")
                .param(id)
                .query(Timestamp.class)
                .single()
                .toInstant();
        assertThat(attemptStarted)
                .as("run only after the commit")
                .isAfter(done.queuedAt().plusMillis(500));
        assertThat(done.attempts()).isEqualTo(1);
    }

    @Autowired
    JobDispatcher dispatcher;

    @Test
    void should_run_jobs_again_after_the_dispatcher_is_stopped_and_started() {
        String domain = api.newInstance(null);

        dispatcher.stop();
        Job queuedWhileStopped = queue.push(JobRequest.of(domain, "log", "\"while stopped\""));
        dispatcher.start();
        Job queuedAfter = queue.push(JobRequest.of(domain, "log", "\"after\""));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find(queuedWhileStopped.id()).orElseThrow().state() == JobState.DONE
                        && store.find(queuedAfter.id()).orElseThrow().state() == JobState.DONE);
    }

    @Test
    void should_refuse_unknown_workers() {
        String domain = api.newInstance(null);
        Assertions.assertThatThrownBy(() -> queue.push(JobRequest.of(domain, "nope", null)))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.NOT_FOUND));
    }

    @Test
    void should_start_client_jobs_running_and_never_execute_them() throws Exception {
        String domain = api.newInstance(null);

        Job job = queue.push(JobRequest.of(domain, "client", "\"foobar\""));
        Thread.sleep(400);

        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(JobState.RUNNING);
        assertThat(stored.startedAt()).isNotNull();
        assertThat(stored.leaseOwner()).isNull();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
