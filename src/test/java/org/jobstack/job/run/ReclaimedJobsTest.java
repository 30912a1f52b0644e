package org.jobstack.job.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jobstack.exec.LogRunner;
import org.jobstack.job.Attempt;
import org.jobstack.job.Job;
import org.jobstack.node.WorkerPauses;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import tools.jackson.databind.JsonNode;

/**
 * A job whose attempt failed is put back in the queue by the outcome writer while the worker
 * thread that ran the attempt may not have let go of the job yet (a busy machine leaves a thread
 * waiting for a core). The retry can then be claimed, here, before that thread is done: the
 * end of the old attempt must not make the node forget the new one, or the lease keeper takes
 * the running retry as a job this node lost track of.
 */
@TestPropertySource(
        properties = {"jobstack.jobs.workers.log.max-exec-count=2", "jobstack.jobs.workers.log.concurrency=2"})
class ReclaimedJobsTest extends IntegrationTest {

    @MockitoSpyBean
    JobExecutor executor;

    @MockitoSpyBean
    LogRunner runner;

    @Autowired
    WorkerPauses pauses;

    @Test
    void should_keep_running_a_retry_claimed_before_the_thread_of_the_failed_attempt_let_go_of_the_job()
            throws Exception {
        String domain = api.newInstance(null);
        String token = api.cliToken(domain, "io.cozy.jobs");
        CountDownLatch retryRunning = new CountDownLatch(1);
        CountDownLatch firstThreadHeld = new CountDownLatch(1);
        doAnswer(invocation -> {
                    Attempt attempt = invocation.getArgument(0);
                    // told by its instance: the attempt may start before the test has the job's id
                    if (!attempt.job().domain().equals(domain)) {
                        return invocation.callRealMethod();
                    }
                    if (attempt.number() == 1) {
                        throw new IllegalStateException("first attempt fails");
                    }
                    retryRunning.countDown();
                    Thread.sleep(2500); // five lease-keeper passes
                    return null;
                })
                .when(runner)
                .run(any());
        doAnswer(invocation -> {
                    invocation.callRealMethod();
                    Job job = invocation.getArgument(0);
                    if (job.domain().equals(domain) && job.attempts() == 1) {
                        // The failed attempt's outcome is submitted; its thread waits for a core
                        // until the retry runs.
                        firstThreadHeld.countDown();
                        retryRunning.await(10, TimeUnit.SECONDS);
                    }
                    return null;
                })
                .when(executor)
                .execute(any(), any());

        String id = Jobs.queueLogsWhilePaused(pauses, api, domain, token, 1).get(0);

        JsonNode job = Jobs.awaitFinal(api, domain, token, id, Duration.ofSeconds(30));

        assertThat(firstThreadHeld.getCount())
                .as("the first attempt's thread was held")
                .isZero();
        assertThat(retryRunning.getCount())
                .as("the retry ran while the first attempt's thread was held")
                .isZero();
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("done");
        assertThat(job.path("attempts").asInt()).as(job.toString()).isEqualTo(2);
    }
}
