package org.jobstack.job.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.common.Ids;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.Attempt;
import org.jobstack.job.Job;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobLog;
import org.jobstack.job.JobRequest;
import org.jobstack.job.JobRunner;
import org.jobstack.job.JobStore;
import org.jobstack.job.StartGate;
import org.jobstack.job.WorkerRegistry;
import org.jobstack.job.log.JobLogStore;
import org.jobstack.node.NodeIdentity;
import org.jobstack.support.TestProperties;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessResourceFailureException;

/** What the executor hands to the outcome writer, and when. */
class JobExecutorTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private final JobLogStore logs = mock(JobLogStore.class);
    private final Completions completions = mock(Completions.class);

    @Test
    void should_store_an_attempts_logs_before_its_outcome_is_written() {
        JobRunner talker = runner(attempt -> attempt.log().append(JobLog.STDOUT, "info", "hello"));
        Job job = Job.queued(Ids.newId(), JobRequest.of("a.test", "log", "{}"), NOW)
                .claimedBy("n1", NOW);

        executor(talker).execute(job, StartGate.OPEN);

        InOrder order = inOrder(logs, completions);
        order.verify(logs).insertAll(anyList());
        ArgumentCaptor<Completions.Completion> outcome = ArgumentCaptor.forClass(Completions.Completion.class);
        order.verify(completions).submit(outcome.capture());
        assertThat(outcome.getValue().outcome()).isEqualTo("done");
    }

    @Test
    void should_write_the_outcome_even_when_the_logs_cannot_be_stored() {
        doThrow(new DataAccessResourceFailureException("database gone"))
                .when(logs)
                .insertAll(anyList());
        JobRunner talker = runner(attempt -> attempt.log().append(JobLog.STDOUT, "info", "hello"));
        Job job = Job.queued(Ids.newId(), JobRequest.of("a.test", "log", "{}"), NOW)
                .claimedBy("n1", NOW);

        executor(talker).execute(job, StartGate.OPEN);

        ArgumentCaptor<Completions.Completion> outcome = ArgumentCaptor.forClass(Completions.Completion.class);
        verify(completions).submit(outcome.capture());
        assertThat(outcome.getValue().outcome()).isEqualTo("done");
    }

    private JobExecutor executor(JobRunner runner) {
        JobstackProperties properties = TestProperties.of(Map.of());
        return new JobExecutor(
                List.of(runner),
                new WorkerRegistry(properties, List.of(runner)),
                mock(JobStore.class),
                mock(JobChanges.class),
                logs,
                mock(RetryPolicy.class),
                mock(NodeIdentity.class),
                mock(ApplicationEventPublisher.class),
                new SimpleMeterRegistry(),
                completions,
                mock(ClusterSignals.class),
                Clock.fixed(NOW, ZoneOffset.UTC),
                properties);
    }

    private static JobRunner runner(Consumer<Attempt> body) {
        return new JobRunner() {
            @Override
            public String worker() {
                return "log";
            }

            @Override
            public void run(Attempt attempt) {
                body.accept(attempt);
            }
        };
    }
}
