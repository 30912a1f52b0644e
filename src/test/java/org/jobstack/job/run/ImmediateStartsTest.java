package org.jobstack.job.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jobstack.job.Job;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobLeases;
import org.jobstack.job.JobQueue;
import org.jobstack.job.JobRequest;
import org.jobstack.job.JobState;
import org.jobstack.job.JobStore;
import org.jobstack.node.NodeIdentity;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A job queued while its worker has a free slot on this node, and no job of that worker is known
 * to wait, is stored running and starts once its transaction commits, without a claim.
 */
@TestPropertySource(properties = {"jobstack.jobs.workers.log.concurrency=1", "jobstack.jobs.workers.log.prefetch=1"})
class ImmediateStartsTest extends IntegrationTest {

    /** The jobs the dispatcher or the outcome writer claimed from the queue. */
    private static final List<String> claimed = Collections.synchronizedList(new ArrayList<>());
    /** The changes announced for the jobs of the test, in order. */
    private static final List<String> changes = Collections.synchronizedList(new ArrayList<>());
    /** When set, claims of the log worker wait for it to be counted down. */
    private static volatile CountDownLatch claimsHeld;

    /** The job leases, recording the jobs claimed; a subclass, as other threads call it. */
    @TestConfiguration
    static class RecordingStore {
        @Bean
        @Primary
        JobLeases claimRecordingJobLeases(JdbcClient jdbc, DataSource dataSource) {
            return new JobLeases(jdbc, dataSource) {
                @Override
                public List<Job> claim(String worker, int limit, String owner, Instant now) {
                    holdIfAsked(worker);
                    return recorded(super.claim(worker, limit, owner, now));
                }

                @Override
                public List<Job> claimInCurrentTransaction(String worker, int limit, String owner, Instant now) {
                    holdIfAsked(worker);
                    return recorded(super.claimInCurrentTransaction(worker, limit, owner, now));
                }
            };
        }

        @EventListener
        void onJobChanged(JobChanges.JobChanged changed) {
            if (changed.job().worker().equals("log")) {
                changes.add(changed.jobId() + " " + changed.previous() + "->"
                        + changed.job().state());
            }
        }

        private static List<Job> recorded(List<Job> jobs) {
            jobs.forEach(job -> claimed.add(job.id()));
            return jobs;
        }

        private static void holdIfAsked(String worker) {
            CountDownLatch held = claimsHeld;
            if (held == null || !worker.equals("log")) {
                return;
            }
            try {
                held.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Autowired
    JobQueue queue;

    @Autowired
    JobStore store;

    @Autowired
    JobDispatcher dispatcher;

    @Autowired
    NodeIdentity node;

    @Autowired
    PlatformTransactionManager transactions;

    String domain;
    TransactionTemplate tx;

    @BeforeEach
    void idle() {
        domain = api.newInstance(null);
        tx = new TransactionTemplate(transactions);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> dispatcher.busy().get("log") == 0 && !dispatcher.knowsOfWaitingJobs("log"));
    }

    @AfterEach
    void releaseClaims() {
        CountDownLatch held = claimsHeld;
        claimsHeld = null;
        if (held != null) {
            held.countDown();
        }
    }

    @Test
    void should_start_a_job_queued_on_an_idle_node_without_claiming_it() {
        Job job = tx.execute(s -> queue.push(log("at once")));

        awaitDone(job.id());
        assertThat(claimed).doesNotContain(job.id());
        assertThat(job.state())
                .as("what the caller is answered: the job as queued")
                .isEqualTo(JobState.QUEUED);
        assertThat(store.find(job.id()).orElseThrow().attempts()).isEqualTo(1);
        assertThat(changes.stream().filter(c -> c.startsWith(job.id())))
                .as("announced as a job queued, then claimed")
                .containsExactly(
                        job.id() + " null->QUEUED", job.id() + " QUEUED->RUNNING", job.id() + " RUNNING->DONE");
    }

    @Test
    void should_queue_a_job_when_the_slots_are_kept_for_jobs_started_at_once() {
        List<Job> stored = tx.execute(s -> {
            Job first = queue.push(log("first"));
            Job second = queue.push(log("second"));
            return List.of(
                    store.find(first.id()).orElseThrow(),
                    store.find(second.id()).orElseThrow());
        });

        assertThat(stored.get(0).state()).isEqualTo(JobState.RUNNING);
        assertThat(stored.get(0).leaseOwner()).isEqualTo(node.id());
        assertThat(stored.get(1).state()).isEqualTo(JobState.QUEUED);
        awaitDone(stored.get(0).id());
        awaitDone(stored.get(1).id());
        assertThat(claimed)
                .contains(stored.get(1).id())
                .doesNotContain(stored.get(0).id());
    }

    @Test
    void should_give_the_slot_back_when_the_transaction_rolls_back() {
        Job rolledBack = tx.execute(s -> {
            Job job = queue.push(log("never stored"));
            assertThat(dispatcher.busy().get("log")).isEqualTo(1);
            s.setRollbackOnly();
            return job;
        });

        assertThat(store.find(rolledBack.id())).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.busy().get("log") == 0);
        Job next = tx.execute(s -> queue.push(log("next")));
        awaitDone(next.id());
        assertThat(claimed).doesNotContain(next.id());
    }

    @Test
    void should_not_overtake_a_job_being_claimed() {
        claimsHeld = new CountDownLatch(1);
        List<Job> firstTwo = tx.execute(s -> List.of(queue.push(log("first")), queue.push(log("waiting"))));
        // once the first has run, the second is being claimed (by the dispatcher or the outcome writer)
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.claimingSince(System.nanoTime()));

        Job later = tx.execute(s -> queue.push(log("later")));
        assertThat(store.find(later.id()).orElseThrow().state())
                .as("queued behind the job being claimed")
                .isEqualTo(JobState.QUEUED);
        claimsHeld.countDown();

        awaitDone(firstTwo.get(0).id());
        Job waiting = awaitDone(firstTwo.get(1).id());
        Job last = awaitDone(later.id());
        assertThat(claimed).contains(waiting.id(), later.id());
        assertThat(waiting.startedAt()).isBefore(last.startedAt());
    }

    private JobRequest log(String message) {
        return JobRequest.of(domain, "log", "\"" + message + "\"");
    }

    private Job awaitDone(String id) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find(id).map(j -> j.state() == JobState.DONE).orElse(false));
        return store.find(id).orElseThrow();
    }
}
