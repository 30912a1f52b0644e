package org.jobstack.trigger;

import java.time.Instant;
import java.util.List;
import org.jobstack.job.JobState;
import org.jobstack.job.JobStore;

/**
 * A trigger's current state (reference §3.2), from its newest 50 jobs taken oldest first:
 * {@code status} is the newest job's state; the {@code last_*} fields name the newest job of each
 * kind and its start time. A trigger without jobs is {@code done}.
 */
public record TriggerState(
        String triggerId,
        String status,
        Instant lastExecution,
        String lastExecutedJobId,
        Instant lastSuccess,
        String lastSuccessfulJobId,
        Instant lastFailure,
        String lastFailedJobId,
        String lastError,
        Instant lastManualExecution,
        String lastManualJobId) {

    public static TriggerState none(String triggerId) {
        return new TriggerState(triggerId, "done", null, null, null, null, null, null, null, null, null);
    }

    /** Folds jobs given newest first, as the stack does (it iterates them oldest first). */
    static TriggerState of(String triggerId, List<JobStore.TriggerJob> newestFirst) {
        TriggerState s = none(triggerId);
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            JobStore.TriggerJob job = newestFirst.get(i);
            Instant started = job.startedAt();
            s = new TriggerState(
                    triggerId,
                    job.state().value(),
                    started,
                    job.id(),
                    job.state() == JobState.DONE ? started : s.lastSuccess,
                    job.state() == JobState.DONE ? job.id() : s.lastSuccessfulJobId,
                    job.state() == JobState.ERRORED ? started : s.lastFailure,
                    job.state() == JobState.ERRORED ? job.id() : s.lastFailedJobId,
                    job.state() == JobState.ERRORED ? job.error() : s.lastError,
                    job.manual() ? started : s.lastManualExecution,
                    job.manual() ? job.id() : s.lastManualJobId);
        }
        return s;
    }
}
