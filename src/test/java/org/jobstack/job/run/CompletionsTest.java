package org.jobstack.job.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobstack.job.AttemptStore;
import org.jobstack.job.Job;
import org.jobstack.job.JobRequest;
import org.jobstack.job.JobState;
import org.jobstack.job.JobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.SimpleTransactionStatus;

/**
 * The outcome writer when the database goes away, or refuses one outcome, or is slow to let go of
 * an outcome written.
 */
class CompletionsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private final JobStore jobs = mock(JobStore.class);
    private final PlatformTransactionManager transactions = mock(PlatformTransactionManager.class);
    private final Completions completions = new Completions(jobs, mock(AttemptStore.class), transactions);
    private final Map<String, Boolean> told = new ConcurrentHashMap<>();

    @BeforeEach
    void database() {
        when(transactions.getTransaction(argThat(d -> true))).thenReturn(new SimpleTransactionStatus());
        when(jobs.requeueAll(anyList())).thenReturn(new int[0]);
    }

    @AfterEach
    void stop() {
        completions.stop();
    }

    @Test
    void should_keep_an_outcome_it_could_not_write_and_write_it_when_the_database_is_back() {
        when(jobs.finishAll(anyList()))
                .thenThrow(new CannotGetJdbcConnectionException("database stopped"))
                .thenThrow(new CannotGetJdbcConnectionException("database stopped"))
                .thenReturn(new int[] {1});
        completions.start();

        completions.submit(done("a"));

        await().atMost(Duration.ofSeconds(10)).until(() -> told.containsKey("a"));
        assertThat(told).containsExactly(Map.entry("a", true));
        verify(jobs, atLeast(3)).finishAll(anyList());
    }

    @Test
    void should_give_up_only_the_outcome_the_database_refuses_for_its_data() {
        when(jobs.finishAll(anyList())).thenAnswer(call -> {
            List<JobStore.Finish> batch = call.getArgument(0);
            if (batch.stream().anyMatch(f -> f.id().equals("poison"))) {
                throw new DataIntegrityViolationException("value too long for column error");
            }
            return batch.stream().mapToInt(f -> 1).toArray();
        });

        completions.submit(done("before"));
        completions.start();
        completions.submit(done("poison"));
        completions.submit(done("after"));
        completions.submit(done("later"));

        await().atMost(Duration.ofSeconds(10)).until(() -> told.keySet().containsAll(List.of("after", "later")));
        assertThat(told)
                .containsEntry("before", true)
                .containsEntry("after", true)
                .doesNotContainKey("poison");
    }

    @Test
    void should_hold_the_outcome_of_a_retry_submitted_before_it_let_go_of_the_outcome_of_the_attempt_before()
            throws Exception {
        CountDownLatch firstCommitted = new CountDownLatch(1);
        CountDownLatch retrySubmitted = new CountDownLatch(1);
        CountDownLatch retryWriting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        when(jobs.requeueAll(anyList())).thenAnswer(call -> allWritten(call.getArgument(0)));
        when(jobs.finishAll(anyList())).thenAnswer(call -> allWritten(call.getArgument(0)));
        AtomicInteger commits = new AtomicInteger();
        doAnswer(commit -> {
                    if (commits.incrementAndGet() == 1) {
                        // The first attempt's requeue is through; the writer waits for a core while
                        // the retry is claimed, run, and its outcome submitted.
                        firstCommitted.countDown();
                        retrySubmitted.await(10, TimeUnit.SECONDS);
                    } else {
                        retryWriting.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                    return null;
                })
                .when(transactions)
                .commit(any());
        completions.start();
        Job first = Job.queued("j", JobRequest.of("a.test", "log", "{}"), NOW).claimedBy("n1", NOW);
        Job retry = first.claimedBy("n1", NOW);

        completions.submit(new Completions.Completion(
                first, "n1", JobState.QUEUED, "retry", "failed", NOW, NOW, NOW, null, false, ok -> {}));
        assertThat(firstCommitted.await(10, TimeUnit.SECONDS)).isTrue();
        completions.submit(new Completions.Completion(
                retry, "n1", JobState.DONE, "done", null, NOW, NOW, null, 0, false, ok -> told.put("j", ok)));
        retrySubmitted.countDown();
        try {
            assertThat(retryWriting.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(completions.holds("j"))
                    .as("the retry's outcome is not written yet")
                    .isTrue();
        } finally {
            release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> told.containsKey("j"));
        assertThat(completions.holds("j")).isFalse();
    }

    @Test
    void should_make_a_claim_left_to_it_in_the_transaction_that_writes_the_waiting_outcome() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch claimLeft = new CountDownLatch(1);
        firstWriteWaits(writing, claimLeft);
        completions.start();
        RecordedClaim claim = new RecordedClaim(null);

        assertThat(completions.claimAlong(claim))
                .as("no outcome waits: the dispatcher claims itself")
                .isFalse();
        completions.submit(done("a"));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(completions.claimAlong(claim)).isTrue();
        claimLeft.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> claim.claimed != null);
        assertThat(claim.withOutcomes).isTrue();
        assertThat(told).containsExactly(Map.entry("a", true));
        verify(transactions, times(1)).commit(any());
        assertThat(claim.failed).isFalse();
    }

    @Test
    void should_make_a_claim_left_just_after_a_write_with_the_outcome_queued_meanwhile() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch claimLeft = new CountDownLatch(1);
        firstWriteWaits(writing, claimLeft);
        completions.start();
        RecordedClaim next = new RecordedClaim(null);
        AtomicBoolean nextLeft = new AtomicBoolean();
        Completions.ClaimAlong first = new RecordedClaim(null) {
            @Override
            public void claimed(List<Job> jobs) {
                // the job claimed ends at once, on a fast core: its outcome is queued and the next
                // claim left while the writer is still in the pass that made this one
                completions.submit(done("b"));
                nextLeft.set(completions.claimAlong(next));
            }
        };

        completions.submit(done("a"));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(completions.claimAlong(first)).isTrue();
        claimLeft.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> next.claimed != null);
        assertThat(nextLeft).isTrue();
        assertThat(next.withOutcomes)
                .as("made in the transaction of outcome b, not in one of its own")
                .isTrue();
        assertThat(told).containsOnlyKeys("a", "b");
    }

    @Test
    void should_hand_a_claim_back_when_the_transaction_of_its_outcome_fails() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch claimLeft = new CountDownLatch(1);
        firstWriteWaits(writing, claimLeft);
        RecordedClaim claim = new RecordedClaim(null);
        doAnswer(commit -> {
                    throw new CannotGetJdbcConnectionException("connection cut at commit");
                })
                .doNothing()
                .when(transactions)
                .commit(any());
        completions.start();

        completions.submit(done("a"));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(completions.claimAlong(claim)).isTrue();
        claimLeft.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> claim.failed && told.containsKey("a"));
        assertThat(claim.claimed)
                .as("nothing claimed: the transaction did not commit")
                .isNull();
        assertThat(told).containsExactly(Map.entry("a", true));
    }

    /** A claim left to the writer, recording what it was told. */
    private static class RecordedClaim implements Completions.ClaimAlong {
        private final List<Job> jobs;
        volatile Boolean withOutcomes;
        volatile List<Job> claimed;
        volatile boolean failed;

        RecordedClaim(List<Job> jobs) {
            this.jobs = jobs == null ? List.of() : jobs;
        }

        @Override
        public List<Job> claim(boolean withOutcomes) {
            this.withOutcomes = withOutcomes;
            return jobs;
        }

        @Override
        public void claimed(List<Job> jobs) {
            claimed = jobs;
        }

        @Override
        public void failed() {
            failed = true;
        }
    }

    /** The first write of outcomes tells it started and waits for {@code go}; the later ones write at once. */
    private void firstWriteWaits(CountDownLatch writing, CountDownLatch go) {
        when(jobs.finishAll(anyList()))
                .thenAnswer(call -> {
                    writing.countDown();
                    go.await(10, TimeUnit.SECONDS);
                    return allWritten(call.getArgument(0));
                })
                .thenAnswer(call -> allWritten(call.getArgument(0)));
    }

    private static int[] allWritten(List<?> batch) {
        return batch.stream().mapToInt(row -> 1).toArray();
    }

    private Completions.Completion done(String id) {
        Job job = Job.queued(id, JobRequest.of("a.test", "log", "{}"), NOW).claimedBy("n1", NOW);
        return new Completions.Completion(
                job, "n1", JobState.DONE, "done", null, NOW, NOW, null, 0, false, ok -> told.put(id, ok));
    }
}
