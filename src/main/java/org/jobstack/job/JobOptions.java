package org.jobstack.job;

import java.time.Duration;

/** Per-job limits; each can only lower the worker's own value. Null means "the worker's". */
public record JobOptions(Integer maxExecCount, Duration timeout) {

    public static final JobOptions NONE = new JobOptions(null, null);

    public int effectiveMaxExecCount(int workerMax) {
        return maxExecCount != null && maxExecCount > 0 && maxExecCount < workerMax ? maxExecCount : workerMax;
    }

    public Duration effectiveTimeout(Duration workerTimeout) {
        return timeout != null && timeout.compareTo(Duration.ZERO) > 0 && timeout.compareTo(workerTimeout) < 0
                ? timeout
                : workerTimeout;
    }

    public boolean isEmpty() {
        return maxExecCount == null && timeout == null;
    }
}
