package org.jobstack.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jobstack.job.Job;
import org.jobstack.job.JobLeases;
import org.jobstack.job.JobStore;
import org.jobstack.node.WorkerPauses;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;

/**
 * While the outcome of an attempt waits to be written, the dispatcher leaves the claim of the next
 * job to the outcome writer: both are written in one transaction, one durable commit per job.
 */
@TestPropertySource(properties = {"jobstack.jobs.workers.log.concurrency=1", "jobstack.jobs.workers.log.prefetch=1"})
class ClaimsWithOutcomesTest extends IntegrationTest {

    /** The connections of the transactions that wrote outcomes (told apart by their connection). */
    private static final Set<Object> outcomeTransactions = ConcurrentHashMap.newKeySet();
    /** The jobs claimed in a transaction that wrote outcomes too. */
    private static final List<String> claimedWithOutcomes = Collections.synchronizedList(new ArrayList<>());

    /**
     * The job store and leases, recording the transactions of the outcomes and of the claims; an outcome's
     * write is slowed down (2 s: a dispatcher held off a CPU for a few hundred ms in a busy test
     * run once came after a 300 ms write), so that it still waits when the dispatcher wants the next job.
     * (A subclass rather than a Mockito spy: stubbing a spy that other threads call is not safe.)
     */
    @TestConfiguration
    static class RecordingStore {
        @Bean
        @Primary
        JobStore recordingJobStore(JdbcClient jdbc, JdbcTemplate batches, DataSource dataSource) {
            return new JobStore(jdbc, batches, dataSource) {
                @Override
                public int[] finishAll(List<Finish> finishes) {
                    outcomeTransactions.add(currentTransaction());
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return super.finishAll(finishes);
                }
            };
        }

        @Bean
        @Primary
        JobLeases recordingJobLeases(JdbcClient jdbc, DataSource dataSource) {
            return new JobLeases(jdbc, dataSource) {
                @Override
                public List<Job> claimInCurrentTransaction(String worker, int limit, String owner, Instant now) {
                    List<Job> jobs = super.claimInCurrentTransaction(worker, limit, owner, now);
                    if (outcomeTransactions.contains(currentTransaction())) {
                        jobs.forEach(job -> claimedWithOutcomes.add(job.id()));
                    }
                    return jobs;
                }
            };
        }
    }

    @Autowired
    WorkerPauses pauses;

    @Test
    void should_claim_the_next_job_in_the_transaction_that_writes_the_outcome_of_the_last() throws Exception {
        String domain = api.newInstance(null);
        String token = api.cliToken(domain, "io.cozy.jobs");
        List<String> ids = Jobs.queueLogsWhilePaused(pauses, api, domain, token, 3);

        for (String id : ids) {
            JsonNode job = Jobs.awaitFinal(api, domain, token, id);
            assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("done");
        }
        assertThat(claimedWithOutcomes)
                .as("the second and third jobs were claimed with the outcome of the job before")
                .containsExactlyElementsOf(ids.subList(1, 3));
    }

    /** The connection of the transaction under way: what tells one transaction from another. */
    private static Object currentTransaction() {
        return TransactionSynchronizationManager.getResourceMap().values().stream()
                .filter(r -> r instanceof org.springframework.jdbc.datasource.ConnectionHolder)
                .findFirst()
                .orElseThrow();
    }
}
