package org.jobstack.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** What there is to know about jobs, for the pages and listings that show them; changes nothing. */
@Service
public class JobQueries {

    private final JobStore jobs;
    private final JobStatistics statistics;
    private final AttemptStore attempts;
    private final JobCounts counts;

    public JobQueries(JobStore jobs, JobStatistics statistics, AttemptStore attempts, JobCounts counts) {
        this.jobs = jobs;
        this.statistics = statistics;
        this.attempts = attempts;
        this.counts = counts;
    }

    public Optional<Job> find(String id) {
        return jobs.find(id);
    }

    /** Jobs per worker and state, done and errored as of their last count ({@link JobCounts}). */
    public JobCounts.Counts counts() {
        return counts.now();
    }

    /** When the oldest queued job of each worker was queued. */
    public Map<String, Instant> oldestQueuedAt() {
        return statistics.oldestQueuedAt();
    }

    /** Attempts running now on every node, longest running first. */
    public List<JobStatistics.RunningAttempt> runningAttempts(int limit) {
        return statistics.runningAttempts(limit);
    }

    /** The newest jobs matching a search, newest first. */
    public List<JobSummary> newest(JobSearch search, int limit) {
        return statistics.newest(search, limit);
    }

    /** Every ended attempt of a job, in the order they ended (the one that ended it done included). */
    public List<AttemptRecord> attempts(String jobId) {
        List<AttemptRecord> all = new ArrayList<>(attempts.of(jobId));
        jobs.doneAttempt(jobId).ifPresent(all::add);
        all.sort(Comparator.comparing(AttemptRecord::finishedAt).thenComparingInt(AttemptRecord::attempt));
        return all;
    }
}
