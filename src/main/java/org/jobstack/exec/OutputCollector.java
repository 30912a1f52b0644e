package org.jobstack.exec;

import org.jobstack.job.JobLog;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a child's output into job log lines, remembering what the outcome rules need: the last
 * {@code error} line, the {@code critical} line, and whether a line said {@code no_retry}.
 */
final class OutputCollector {

    private final JobLog log;
    private final JsonMapper json;
    private final int messageLimit;
    private volatile String lastError;
    private volatile String critical;
    private volatile boolean noRetry;

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
