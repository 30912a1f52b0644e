package org.jobstack.dashboard;

import static org.jobstack.dashboard.Redirects.act;
import static org.jobstack.dashboard.Redirects.encode;
import static org.jobstack.dashboard.Redirects.redirect;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobstack.common.Problem;
import org.jobstack.job.Job;
import org.jobstack.job.JobCancellation;
import org.jobstack.job.JobOperations;
import org.jobstack.job.JobQueries;
import org.jobstack.job.JobSummary;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** What operators do to jobs from the dashboard: cancel, retry, delete, retry many. */
@Controller
class JobActions {

    static final int BULK_LIMIT = 1000;

    private final JobQueries jobs;
    private final JobCancellation cancellation;
    private final JobOperations operations;
    private final DashboardController pages;
    private final Clock clock;

    JobActions(
            JobQueries jobs,
            JobCancellation cancellation,
            JobOperations operations,
            DashboardController pages,
            Clock clock) {
        this.jobs = jobs;
        this.cancellation = cancellation;
        this.operations = operations;
        this.pages = pages;
        this.clock = clock;
    }

    @PostMapping("/dashboard/jobs/{id}/cancel")
    String cancel(@PathVariable String id) {
        return act("/dashboard/jobs/" + id, () -> {
            Job job = jobs.find(id).orElseThrow(() -> Problem.notFound("No job " + id));
            cancellation.cancel(job, "asked by the dashboard");
            return "Cancel asked";
        });
    }

    @PostMapping("/dashboard/jobs/{id}/retry")
    String retry(@PathVariable String id) {
        return act("/dashboard/jobs/" + id, () -> {
            operations.retry(id);
            return "Queued again";
        });
    }

    @PostMapping("/dashboard/jobs/{id}/delete")
    String delete(@PathVariable String id) {
        try {
            operations.delete(id);
            return redirect("/dashboard/jobs", "Job " + id + " deleted");
        } catch (Problem refused) {
            return redirect("/dashboard/jobs/" + id, refused.getMessage());
        }
    }

    /** Retries the errored jobs the jobs page shows for these filters (at most {@link #BULK_LIMIT}). */
    @PostMapping("/dashboard/jobs/retry-errored")
    String retryErrored(
            @RequestParam(required = false) String domain,
            @RequestParam(required = false) String worker,
            @RequestParam(name = "trigger", required = false) String trigger,
            @RequestParam(required = false) String app,
            @RequestParam(required = false) String since) {
        JobFilter filter = new JobFilter("errored", worker, domain, trigger, app, since);
        List<String> ids = pages.newest(filter, clock.instant(), BULK_LIMIT).stream()
                .map(JobSummary::id)
                .toList();
        int n = operations.retryErrored(ids);
        return redirect(jobsPage(filter), n + " errored job" + (n == 1 ? "" : "s") + " queued again");
    }

    private static String jobsPage(JobFilter filter) {
        StringBuilder page = new StringBuilder("/dashboard/jobs?");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("worker", filter.worker());
        params.put("domain", filter.domain());
        params.put("trigger", filter.trigger());
        params.put("app", filter.app());
        params.put("since", filter.since());
        params.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                page.append(name).append('=').append(encode(value)).append('&');
            }
        });
        return page.substring(0, page.length() - 1);
    }
}
