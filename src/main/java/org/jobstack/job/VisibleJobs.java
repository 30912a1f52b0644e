package org.jobstack.job;

import java.util.Map;
import org.jobstack.auth.Caller;
import org.jobstack.common.Problem;
import org.springframework.stereotype.Component;

/** The jobs a caller may see or change: those of its instance that its permissions allow; others are not found. */
@Component
public class VisibleJobs {

    private final JobStore jobs;

    public VisibleJobs(JobStore jobs) {
        this.jobs = jobs;
    }

    /** The job, if the caller may {@code verb} it (GET to read, PATCH to change). */
    public Job get(Caller caller, String id, String verb) {
        Job job = jobs.find(id)
                .filter(j -> j.domain().equals(caller.domain()))
                .orElseThrow(() -> Problem.notFound("No job " + id));
        caller.require(
                verb,
                JobDocuments.DOCTYPE,
                id,
                Map.of("worker", job.worker(), "state", job.state().value()));
        return job;
    }
}
