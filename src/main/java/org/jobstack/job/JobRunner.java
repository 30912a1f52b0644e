package org.jobstack.job;

/**
 * Runs the jobs of one worker type. Returning normally means success; throwing
 * {@link JobFailure} says whether a retry makes sense; any other exception is a retryable failure.
 */
public interface JobRunner {

    String worker();

    void run(Attempt attempt) throws Exception;

    /**
     * Whether {@link #run} calls {@link Attempt#awaitStored} itself, after preparing the attempt and
     * before the job does anything; otherwise the executor waits before calling it.
     */
    default boolean preparesBeforeStored() {
        return false;
    }

    /** Whether this worker can run its jobs in processes started ahead ({@code standby} setting). */
    default boolean hasStandby() {
        return false;
    }
}
