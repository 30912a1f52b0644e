package org.jobstack.job.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

/** The outcome writer when the database goes away, or refuses one outcome. */
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

    private Completions.Completion done(String id) {
        Job job = Job.queued(id, JobRequest.of("a.test", "log", "{}"), NOW).claimedBy("n1", NOW);
        return new Completions.Completion(
                job, "n1", JobState.DONE, "done", null, NOW, NOW, null, 0, false, ok -> told.put(id, ok));
    }
}
