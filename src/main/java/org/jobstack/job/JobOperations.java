package org.jobstack.job;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.jobstack.common.Problem;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What an operator does to finished jobs: retry an errored one (queued again, ahead of automatic
 * jobs, with a full set of attempts; its earlier attempts and log stay), retry many, delete one.
 */
@Service
public class JobOperations {

    private final JobStore store;
    private final JobQueue queue;
    private final JobChanges changes;
    private final Clock clock;

    public JobOperations(JobStore store, JobQueue queue, JobChanges changes, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.changes = changes;
        this.clock = clock;
    }

    @Transactional
    public Job retry(String id) {
        Job job = store.find(id).orElseThrow(() -> Problem.notFound("No job " + id));
        return retryOne(id)
                .orElseThrow(() -> Problem.conflict("Only an errored job can be retried; job " + id + " is "
                        + job.state().value()));
    }

    /** Retries those of the given jobs that are errored; how many. */
    @Transactional
    public int retryErrored(Collection<String> ids) {
        return (int)
                ids.stream().map(this::retryOne).filter(Optional::isPresent).count();
    }

    /** The job queued again, or empty when it was not errored. */
    private Optional<Job> retryOne(String id) {
        Instant now = clock.instant();
        if (!store.retry(id, now, queue.manualSortKey(now))) {
            return Optional.empty();
        }
        Job queued = store.find(id).orElseThrow();
        changes.changed(queued, JobState.ERRORED);
        queue.announce(queued.worker());
        return Optional.of(queued);
    }

    /** Deletes a job with its log and attempts; a running job must be cancelled first. */
    @Transactional
    public void delete(String id) {
        Job job = store.find(id).orElseThrow(() -> Problem.notFound("No job " + id));
        if (!store.delete(id)) {
            throw Problem.conflict("A running job cannot be deleted; cancel job " + id + " first");
        }
        changes.deleted(job);
    }
}
