package org.jobstack.job;

import java.time.Instant;

/** A job as listings show it: without its message, event and payload. */
public record JobSummary(
        String id,
        String domain,
        String worker,
        JobState state,
        int attempts,
        Instant queuedAt,
        Instant startedAt,
        Instant finishedAt,
        String error,
        String triggerId) {}
