package org.jobstack.job;

import java.time.Clock;
import org.jobstack.common.Problem;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Jobs of the {@code client} pseudo-worker: never run here, completed by the client that launched them. */
@Service
class ClientJobs {

    private final JobStore jobs;
    private final JobChanges changes;
    private final Clock clock;

    public ClientJobs(JobStore jobs, JobChanges changes, Clock clock) {
        this.jobs = jobs;
        this.changes = changes;
        this.clock = clock;
    }

    @Transactional
    public Job complete(Job job, String state, String error) {
        if (!WorkerRegistry.CLIENT.equals(job.worker())) {
            throw Problem.forbidden("Only jobs of the client worker can be completed by a client");
        }
        if (!"done".equals(state) && !"errored".equals(state)) {
            throw Problem.invalid("State", "State must be done or errored");
        }
        if (!jobs.completeClientJob(
                job.id(), JobState.of(state), "errored".equals(state) ? error : null, clock.instant())) {
            throw Problem.conflict(
                    "Job " + job.id() + " is already " + job.state().value());
        }
        Job done = jobs.find(job.id()).orElseThrow();
        changes.changed(done, job.state());
        return done;
    }
}
