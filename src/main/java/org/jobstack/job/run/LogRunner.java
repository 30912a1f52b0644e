package org.jobstack.job.run;

import org.jobstack.job.Attempt;
import org.jobstack.job.JobRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The {@code log} worker: logs its message (server log, debug level) and succeeds. For tests and benchmarks. */
@Component
class LogRunner implements JobRunner {

    private static final Logger log = LoggerFactory.getLogger(LogRunner.class);

    @Override
    public String worker() {
        return "log";
    }

    @Override
    public void run(Attempt attempt) {
        String message =
                attempt.job().message() == null ? "null" : attempt.job().message();
        log.atDebug().addKeyValue("job_id", attempt.job().id()).log("log job: {}", message);
    }
}
