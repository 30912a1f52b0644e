package org.jobstack.job.run;

import java.time.Instant;

/** A job of {@code worker} was put back in the queue, due at {@code at} (a retry after its backoff). */
public record RetryScheduled(String worker, Instant at) {}
