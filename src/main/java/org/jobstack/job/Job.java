package org.jobstack.job;

import java.time.Instant;

/**
 * A job row. JSON values are JSON text. {@code attempts} counts executions started so far;
 * {@code attemptBase} is how many of them came before an operator's retry, so that the retried
 * job gets its full set of attempts again.
 */
public record Job(String id, String domain, String worker, String triggerId, String message, String event,
                  String payload, boolean manual, boolean debounced, JobOptions options, JobState state,
                  int attempts, Instant queuedAt, Instant startedAt, Instant finishedAt, Instant runAt,
                  String error, String leaseOwner, int attemptBase) {

    public Job(String id, String domain, String worker, String triggerId, String message, String event,
               String payload, boolean manual, boolean debounced, JobOptions options, JobState state,
               int attempts, Instant queuedAt, Instant startedAt, Instant finishedAt, Instant runAt,
               String error, String leaseOwner) {
        this(id, domain, worker, triggerId, message, event, payload, manual, debounced, options, state, attempts,
                queuedAt, startedAt, finishedAt, runAt, error, leaseOwner, 0);
    }

    static Job queued(String id, JobRequest request, Instant now) {
        return new Job(id, request.domain(), request.worker(), request.triggerId(), request.message(),
                request.event(), request.payload(), request.manual(), request.debounced(), request.options(),
                JobState.QUEUED, 0, now, null, null, now, null, null);
    }

    public Job claimedBy(String owner, Instant now) {
        return new Job(id, domain, worker, triggerId, message, event, payload, manual, debounced, options,
                JobState.RUNNING, attempts + 1, queuedAt, startedAt == null ? now : startedAt, null, runAt,
                error, owner, attemptBase);
    }

    /** Attempts made since the job was queued (or last retried by an operator). */
    public int attemptsInRound() {
        return attempts - attemptBase;
    }
}
