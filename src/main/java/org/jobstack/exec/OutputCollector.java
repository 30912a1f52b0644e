package org.jobstack.exec;

import java.util.Locale;
import org.jobstack.job.JobLog;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a child's output into job log lines, remembering what the outcome rules need: the last
 * {@code error} line, the {@code critical} line, whether a line said {@code no_retry}, and whether
 * the process said it ran out of a resource its limits bound (memory, open files), or the wrapper
 * shell said it could not start the command.
 */
final class OutputCollector {

    private final JobLog log;
    private final JsonMapper json;
    private final int messageLimit;
    private volatile String lastError;
    private volatile String critical;
    private volatile boolean noRetry;
    private volatile String cause;

    OutputCollector(JobLog log, JsonMapper json, int messageLimit) {
        this.log = log;
        this.json = json;
        this.messageLimit = messageLimit;
    }

    void stdout(String line) {
        CozyLogLine parsed = CozyLogLine.parse(line, json, messageLimit);
        log.append(JobLog.STDOUT, parsed.level(), parsed.message());
        if (parsed.parsed()) {
            if (parsed.level().equals("critical")) {
                critical = parsed.message();
            } else if (parsed.level().equals("error")) {
                lastError = parsed.message();
            }
            noRetry |= parsed.noRetry();
        }
    }

    void stderr(String line) {
        log.append(JobLog.STDERR, "error", line);
        if (cause == null) {
            cause = cause(line);
        }
    }

    private static String cause(String line) {
        if (line.startsWith(ExecSettings.SHELL_NAME + ": ")
                && (line.endsWith(": not found") || line.endsWith(": Permission denied"))) {
            int exec = line.indexOf("exec: ");
            return "cannot run the command (jobstack.exec.command): "
                    + (exec >= 0 ? line.substring(exec + "exec: ".length()) : line);
        }
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.contains("out of memory")) {
            return "out of memory (jobstack.exec.limits.memory)";
        }
        if (lower.contains("emfile") || lower.contains("too many open files")) {
            return "too many open files (jobstack.exec.limits.open-files)";
        }
        return null;
    }

    /**
     * Why the process failed, as it said on stderr: its command could not be run, or it ran out of
     * a resource (node's fatal out-of-memory, EMFILE); null when it said nothing of the kind.
     */
    String cause() {
        return cause;
    }

    String lastError() {
        return lastError;
    }

    String critical() {
        return critical;
    }

    boolean noRetry() {
        return noRetry;
    }
}
