package org.jobstack.job.log;

import java.util.List;
import org.springframework.stereotype.Service;

/** Reading jobs' logs: the stored lines of a job, in order. */
@Service
public class JobLogs {

    private final JobLogStore store;

    public JobLogs(JobLogStore store) {
        this.store = store;
    }

    /** Up to {@code limit} lines of a job after sequence number {@code afterSeq}. */
    public List<LogEntry> lines(String jobId, int afterSeq, int limit) {
        return store.list(jobId, afterSeq, limit);
    }
}
