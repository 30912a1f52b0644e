package org.jobstack.exec;

import org.jobstack.job.Attempt;
import org.jobstack.job.JobLog;
import org.jobstack.job.JobRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code log} worker: writes its message as one line of the job's logs (and to the server log,
 * debug level) and succeeds. For trying the engine, tests and benchmarks. A job without a message
 * (the benchmarks' no-op jobs) writes no log line, so it stores no log row.
 */
@Component
public class LogRunner implements JobRunner {

    private static final Logger log = LoggerFactory.getLogger(LogRunner.class);

    private final JsonMapper json;

    LogRunner(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String worker() {
        return "log";
    }

    @Override
    public void run(Attempt attempt) {
        String message = attempt.job().message();
        log.atDebug().addKeyValue("job_id", attempt.job().id()).log("log job: {}", message);
        if (message != null) {
            attempt.log().append(JobLog.STDOUT, "info", text(message));
        }
    }

    /** The text of {@code {"message":"hello"}} is {@code hello}; any other arguments are logged as their JSON. */
    private String text(String message) {
        try {
            JsonNode field = json.readTree(message).path("message");
            return field.isString() ? field.asString() : message;
        } catch (JacksonException notJson) {
            return message;
        }
    }
}
