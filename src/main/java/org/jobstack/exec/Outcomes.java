package org.jobstack.exec;

import org.jobstack.job.JobFailure;

/**
 * How a finished process becomes a job outcome (reference §8.7). A service fails only by its
 * exit; a konnector also by its {@code critical} (preferred) or {@code error} lines, and is not
 * retried after {@code no_retry} or a {@code LOGIN_FAILED}/{@code USER_ACTION_NEEDED} error.
 */
final class Outcomes {

    static final String TOO_MANY_PROCESSES = "too many processes (jobstack.exec.limits.processes)";

    private Outcomes() {}

    static void service(ProcessLauncher.Result result, OutputCollector output) throws JobFailure {
        if (result.cancelled()) {
            throw JobFailure.permanent("cancelled");
        }
        String failure = processFailure(result, output);
        if (failure != null) {
            throw JobFailure.retryable(failure);
        }
    }

    static void konnector(ProcessLauncher.Result result, OutputCollector output) throws JobFailure {
        if (result.cancelled()) {
            throw JobFailure.permanent("cancelled");
        }
        String said = output.critical() != null ? output.critical() : output.lastError();
        String failure = processFailure(result, output);
        if (failure == null && said == null) {
            return;
        }
        String error = said != null ? said : failure;
        boolean final_ = output.noRetry() || error.startsWith("LOGIN_FAILED") || error.startsWith("USER_ACTION_NEEDED");
        throw final_ ? JobFailure.permanent(error) : JobFailure.retryable(error);
    }

    /**
     * Null when the process exited 0 in time; else how it ended, after the cause it gave when it
     * said so ({@code out of memory (…): signal: aborted}).
     */
    private static String processFailure(ProcessLauncher.Result result, OutputCollector output) {
        if (result.timedOut()) {
            return "context deadline exceeded (time limit reached, process tree killed)";
        }
        int code = result.exitCode();
        if (code == 0) {
            return null;
        }
        String end = code > 128 ? "signal: " + Signals.name(code - 128) : "exit status " + code;
        String cause = result.processLimitReached() ? TOO_MANY_PROCESSES : output.cause();
        return cause == null ? end : cause + ": " + end;
    }
}
