package org.jobstack.job;

import java.time.Duration;
import java.time.Instant;

/**
 * An ended attempt of a job: its number, the node that ran it, when it started (unknown when its
 * node died) and ended, its outcome ({@code done}, {@code retry}, {@code errored}, {@code requeued}),
 * the exit code of its process and its error.
 */
public record AttemptRecord(
        int attempt,
        String node,
        Instant startedAt,
        Instant finishedAt,
        String outcome,
        Integer exitCode,
        String error) {

    /** How long it ran; null when its start is unknown. */
    public Duration duration() {
        return startedAt == null ? null : Duration.between(startedAt, finishedAt);
    }
}
