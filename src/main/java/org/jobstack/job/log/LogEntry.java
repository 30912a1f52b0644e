package org.jobstack.job.log;

import java.time.Instant;

/** One stored log line of a job. */
public record LogEntry(String jobId, int seq, int attempt, Instant at, String stream, String level, String message) {}
