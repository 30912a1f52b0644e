package org.jobstack.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jobstack.job.AttemptRecord;
import org.jobstack.job.AttemptStore;
import org.jobstack.job.Job;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobLeases;
import org.jobstack.job.JobState;
import org.jobstack.node.NodeIdentity;
import org.jobstack.node.WorkerPauses;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

/**
 * A job the database says runs on this live node while the node does not know it: a claim whose
 * commit reached the database while the connection was cut, or an outcome given up. Its lease
 * would never expire, so the node itself must take it back.
 */
class LostTrackJobsTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WorkerPauses pauses;

    @Autowired
    NodeIdentity node;

    @Autowired
    AttemptStore attempts;

    @Autowired
    ConfigurableApplicationContext context;

    /** What the claims call in their transaction with what they claimed. */
    private static volatile Consumer<List<Job>> afterClaim = claimed -> {};

    /**
     * The job leases, handing every claim to {@link #afterClaim} (a subclass rather than a Mockito
     * spy: stubbing a spy that the server's threads call all along is not safe).
     */
    @TestConfiguration
    static class ObservedClaims {
        @Bean
        @Primary
        JobLeases observedJobLeases(JdbcClient jdbc, DataSource dataSource) {
            return new JobLeases(jdbc, dataSource) {
                @Override
                public List<Job> claim(String worker, int limit, String owner, Instant now) {
                    List<Job> claimed = super.claim(worker, limit, owner, now);
                    afterClaim.accept(claimed);
                    return claimed;
                }

                @Override
                public List<Job> claimInCurrentTransaction(String worker, int limit, String owner, Instant now) {
                    List<Job> claimed = super.claimInCurrentTransaction(worker, limit, owner, now);
                    afterClaim.accept(claimed);
                    return claimed;
                }
            };
        }
    }

    @Test
    void should_not_take_back_jobs_it_claimed_while_a_listener_of_the_claim_is_slow() throws Exception {
        String domain = api.newInstance(null);
        String token = api.cliToken(domain, "io.cozy.jobs");
        List<String> ids = new ArrayList<>();
        CountDownLatch slowed = new CountDownLatch(1);
        ApplicationListener<PayloadApplicationEvent<JobChanges.JobChanged>> slowListener = event -> {
            JobChanges.JobChanged changed = event.getPayload();
            if (changed.previous() == JobState.QUEUED && ids.contains(changed.jobId()) && slowed.getCount() > 0) {
                slowed.countDown();
                sleep(Duration.ofMillis(2500)); // five lease-keeper passes
            }
        };
        pauses.pause("log", "test");
        try {
            for (int i = 0; i < 3; i++) {
                ids.add(Jobs.queueLog(api, domain, token));
            }
            context.addApplicationListener(slowListener);
        } finally {
            pauses.resume("log");
        }

        try {
            for (String id : ids) {
                JsonNode job = Jobs.awaitFinal(api, domain, token, id);
                assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("done");
            }
            assertThat(slowed.getCount()).as("a claim's listener was slow").isZero();
        } finally {
            context.removeApplicationListener(slowListener);
        }
    }

    @Test
    void should_not_take_back_jobs_a_claim_took_while_its_thread_waits_to_return_after_the_commit() throws Exception {
        String domain = api.newInstance(null);
        String token = api.cliToken(domain, "io.cozy.jobs");
        CountDownLatch stalled = new CountDownLatch(1);
        afterClaim = claimed -> {
            // told by its instance: the claim may come before the test has the job's id
            if (claimed.stream().anyMatch(job -> job.domain().equals(domain)) && stalled.getCount() > 0) {
                // Once committed (leased here), the claiming thread waits for a core before
                // it gets back to the dispatcher.
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        stalled.countDown();
                        sleep(Duration.ofMillis(2500)); // five lease-keeper passes
                    }
                });
            }
        };
        try {
            String id = Jobs.queueLogsWhilePaused(pauses, api, domain, token, 1).get(0);

            JsonNode job = Jobs.awaitFinal(api, domain, token, id);

            assertThat(stalled.getCount())
                    .as("the claim's thread was held after the commit")
                    .isZero();
            assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("done");
        } finally {
            afterClaim = claimed -> {};
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void should_end_a_job_leased_to_this_node_that_it_does_not_run_with_the_reason() {
        String domain = api.newInstance(null);
        String token = api.cliToken(domain, "io.cozy.jobs");
        pauses.pause("log", "test");
        String id;
        try {
            id = Jobs.queueLog(api, domain, token);
            int claimed = jdbc.sql("UPDATE job SET state = 'running', attempts = attempts + 1, lease_owner = ?,"
                            + " started_at = CURRENT_TIMESTAMP WHERE id = ? AND state = 'queued'")
                    .params(node.id(), id)
                    .update();
            assertThat(claimed).as("the claim the node never learned of").isEqualTo(1);
        } finally {
            pauses.resume("log");
        }

        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString())
                .as("the log worker has one attempt per job: the lost one")
                .isEqualTo("errored");
        assertThat(job.path("error").asString()).contains("lost track of the job");
        AttemptRecord lost = attempts.of(id).get(0);
        assertThat(lost.outcome()).isEqualTo("errored");
        assertThat(lost.node()).isEqualTo(node.id());
    }
}
