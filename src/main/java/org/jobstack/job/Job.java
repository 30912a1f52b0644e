package org.jobstack.job;

import java.time.Instant;

/**
 * A job row: what was asked ({@link JobRequest}) and where it stands. {@code attempts} counts
 * executions started so far; {@code attemptBase} is how many of them came before an operator's
 * retry, so that the retried job gets its full set of attempts again.
 */
public record Job(
        String id,
        JobRequest request,
        JobState state,
        int attempts,
        int attemptBase,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant runAt,
        String error,
        String leaseOwner) {

    /** A new job, queued and due now. */
    public static Job queued(String id, JobRequest request, Instant now) {
        return new Job(id, request, JobState.QUEUED, 0, 0, now, null, null, now, null, null);
    }

    /** This job taken by {@code owner} for one more attempt. */
    public Job claimedBy(String owner, Instant now) {
        return new Job(
                id,
                request,
                JobState.RUNNING,
                attempts + 1,
                attemptBase,
                queuedAt,
                startedAt == null ? now : startedAt,
                null,
                runAt,
                error,
                owner);
    }

    /**
     * This running job once its attempt ended: finished ({@code done}, {@code errored}) at {@code at},
     * or queued again to run at {@code runAgainAt}.
     */
    public Job endedAs(JobState next, String failure, Instant at, Instant runAgainAt) {
        boolean finished = next != JobState.QUEUED;
        return new Job(
                id,
                request,
                next,
                attempts,
                attemptBase,
                queuedAt,
                startedAt,
                finished ? at : null,
                finished ? runAt : runAgainAt,
                failure,
                null);
    }

    /** Attempts made since the job was queued (or last retried by an operator). */
    public int attemptsInRound() {
        return attempts - attemptBase;
    }

    public String domain() {
        return request.domain();
    }

    public String worker() {
        return request.worker();
    }

    public String triggerId() {
        return request.triggerId();
    }

    public String message() {
        return request.message();
    }

    public String event() {
        return request.event();
    }

    public String payload() {
        return request.payload();
    }

    public boolean manual() {
        return request.manual();
    }

    public boolean debounced() {
        return request.debounced();
    }

    public JobOptions options() {
        return request.options();
    }
}
