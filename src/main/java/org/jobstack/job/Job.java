package org.jobstack.job;

import java.time.Instant;

/** A job row. JSON values are JSON text. {@code attempts} counts executions started so far. */
public record Job(String id, String domain, String worker, String triggerId, String message, String event,
                  String payload, boolean manual, boolean debounced, JobOptions options, JobState state,
                  int attempts, Instant queuedAt, Instant startedAt, Instant finishedAt, Instant runAt,
                  String error, String leaseOwner) {

    static Job queued(String id, JobRequest request, Instant now) {
        return new Job(id, request.domain(), request.worker(), request.triggerId(), request.message(),
                request.event(), request.payload(), request.manual(), request.debounced(), request.options(),
                JobState.QUEUED, 0, now, null, null, now, null, null);
    }

    Job claimedBy(String owner, Instant now) {
        return new Job(id, domain, worker, triggerId, message, event, payload, manual, debounced, options,
                JobState.RUNNING, attempts + 1, queuedAt, startedAt == null ? now : startedAt, null, runAt,
                error, owner);
    }
}
