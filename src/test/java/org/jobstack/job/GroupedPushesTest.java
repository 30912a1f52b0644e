package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jobstack.common.Problem;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Jobs queued by clients share commits: while the writer is busy with one group, the requests
 * that come in wait (unanswered: nothing is committed for them yet) and go in the next group
 * together. The writer is held inside its transaction by a listener of the job events it
 * publishes there.
 */
class GroupedPushesTest extends IntegrationTest {

    @Autowired
    GroupedPushes pushes;

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcClient jdbc;

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final ExecutorService clients = Executors.newFixedThreadPool(16);
    private ApplicationListener<PayloadApplicationEvent<JobChanges.JobChanged>> holder;
    private String domain;
    private String held;

    @BeforeEach
    void holdTheWriterOnOneInstance() {
        domain = api.newInstance(null);
        held = api.newInstance(null);
        holder = event -> {
            if (event.getPayload().domain().equals(held)) {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        context.addApplicationListener(holder);
    }

    @AfterEach
    void letGo() {
        release.countDown();
        context.removeApplicationListener(holder);
        clients.shutdownNow();
    }

    @Test
    void should_store_the_jobs_that_wait_together_in_one_commit_answering_each_once_committed() {
        DistributionSummary groups = meters.get("jobstack.jobs.push.group").summary();
        long groupsBefore = groups.count();
        double jobsBefore = groups.totalAmount();
        CompletableFuture<Job> first = push(held, "log");
        awaitTheWriterHeld();

        List<CompletableFuture<Job>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(push(domain, "log"));
        }
        CompletableFuture<Job> unknown = push(domain, "no-such-worker");
        await().atMost(Duration.ofSeconds(10)).until(() -> pushes.waiting() == 11);

        assertThat(first).isNotDone();
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        assertThat(jobsOf(domain)).isZero();
        release.countDown();

        List<Job> queued = waiting.stream().map(CompletableFuture::join).toList();
        assertThat(first.join().domain()).isEqualTo(held);
        assertThat(queued).extracting(Job::state).containsOnly(JobState.QUEUED);
        assertThat(jobsOf(domain)).isEqualTo(10);
        assertThat(unknown)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableThat()
                .havingCause()
                .isInstanceOf(Problem.class)
                .withMessageContaining("no-such-worker");
        assertThat(groups.count() - groupsBefore)
                .as("one group for the held job, one for the ten")
                .isEqualTo(2);
        assertThat(groups.totalAmount() - jobsBefore).isEqualTo(11);
    }

    @Test
    void should_queue_the_jobs_of_a_failed_group_one_by_one_so_that_one_bad_job_fails_alone() {
        CompletableFuture<Job> first = push(held, "log");
        awaitTheWriterHeld();
        CompletableFuture<Job> good = push(domain, "log");
        CompletableFuture<Job> orphan = push("no-such-instance.test", "log");
        CompletableFuture<Job> alsoGood = push(domain, "log");
        await().atMost(Duration.ofSeconds(10)).until(() -> pushes.waiting() == 3);

        release.countDown();

        assertThat(first.join().domain()).isEqualTo(held);
        assertThat(good.join().domain()).isEqualTo(domain);
        assertThat(alsoGood.join().domain()).isEqualTo(domain);
        assertThat(orphan).failsWithin(Duration.ofSeconds(5));
        assertThat(jobsOf(domain)).isEqualTo(2);
        assertThat(jobsOf("no-such-instance.test")).isZero();
    }

    @Test
    void should_commit_the_jobs_of_concurrent_webhook_calls_together_before_answering_them() {
        String token = api.cliToken(domain, "io.cozy.triggers");
        org.jobstack.support.Api.Response created = api.call(domain, token, "POST", "/jobs/triggers", """
                {"data":{"type":"io.cozy.triggers","attributes":{"type":"@webhook","worker":"log"}}}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String webhook =
                "/jobs/webhooks/" + created.json().path("data").path("id").asString();
        DistributionSummary groups = meters.get("jobstack.jobs.push.group").summary();
        CompletableFuture<Job> first = push(held, "log");
        awaitTheWriterHeld();
        long groupsBefore = groups.count();

        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = "{\"n\":" + i + "}";
            calls.add(CompletableFuture.supplyAsync(
                    () -> api.call(domain, null, "POST", webhook, body).status(), clients));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pushes.waiting() == 5);
        assertThat(calls).noneMatch(CompletableFuture::isDone);
        assertThat(jobsOf(domain)).isZero();
        release.countDown();

        assertThat(calls).allSatisfy(call -> assertThat(call.join()).isEqualTo(204));
        assertThat(first.join().domain()).isEqualTo(held);
        assertThat(jobsOf(domain)).isEqualTo(5);
        assertThat(groups.count() - groupsBefore)
                .as("the held group, then the five calls")
                .isEqualTo(2);
    }

    /** The writer took the held instance's job and waits, inside its transaction, for the test. */
    private void awaitTheWriterHeld() {
        try {
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(pushes.waiting()).isZero();
    }

    private CompletableFuture<Job> push(String instance, String worker) {
        return CompletableFuture.supplyAsync(
                () -> pushes.push(JobRequest.to(instance, worker).message("{}").build()), clients);
    }

    private long jobsOf(String instance) {
        return jdbc.sql("SELECT COUNT(*) FROM job WHERE domain = ?")
                .param(instance)
                .query(Long.class)
                .single();
    }
}
