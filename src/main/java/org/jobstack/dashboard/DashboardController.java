package org.jobstack.dashboard;

import java.time.Clock;
import java.time.Instant;
import org.jobstack.common.Problem;
import org.jobstack.job.Job;
import org.jobstack.job.run.JobDispatcher;
import org.jobstack.job.run.JobExecutor;
import org.jobstack.job.log.JobLogStore;
import org.jobstack.job.JobStore;
import org.jobstack.node.WorkerPauses;
import org.jobstack.job.WorkerRegistry;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The operators' pages: overview, jobs, one job, instances with their apps and triggers (their
 * actions: {@link JobActions}, {@link ControlActions}).
 */
@Controller
class DashboardController {

    private final DashboardQueries queries;
    private final InstanceQueries instances;
    private final ThroughputHistory throughput;
    private final WorkerRegistry workers;
    private final WorkerPauses pauses;
    private final JobDispatcher dispatcher;
    private final JobExecutor executor;
    private final JobStore jobs;
    private final JobLogStore logs;
    private final Clock clock;

    DashboardController(DashboardQueries queries, InstanceQueries instances, ThroughputHistory throughput,
                        WorkerRegistry workers, WorkerPauses pauses, JobDispatcher dispatcher, JobExecutor executor,
                        JobStore jobs, JobLogStore logs, Clock clock) {
        this.queries = queries;
        this.instances = instances;
        this.throughput = throughput;
        this.workers = workers;
        this.pauses = pauses;
        this.dispatcher = dispatcher;
        this.executor = executor;
        this.jobs = jobs;
        this.logs = logs;
        this.clock = clock;
    }

    @GetMapping("/dashboard")
    String overview(Model model, @RequestParam(required = false) String domain) {
        overviewModel(domain, model::addAttribute);
        model.addAttribute("chart", throughput.series());
        return "dashboard/overview";
    }

    /** What the overview's live part shows (newest jobs of one instance, or of all); also used by the stream. */
    void overviewModel(String domain, java.util.function.BiConsumer<String, Object> model) {
        Instant now = clock.instant();
        model.accept("counts", queries.countsByWorker());
        model.accept("waits", queries.oldestWait(now));
        model.accept("nodes", queries.nodes(now));
        model.accept("workers", workers.all());
        model.accept("paused", pauses.paused());
        model.accept("busy", dispatcher.busy());
        model.accept("running", executor.runningCount());
        model.accept("runningJobs", queries.running(now, 20));
        model.accept("recent", queries.jobs(JobFilter.byDomain(domain), now));
        model.accept("domain", domain == null || domain.isBlank() ? null : domain);
        model.accept("states", DashboardQueries.STATES);
    }

    @GetMapping("/dashboard/jobs")
    String jobs(Model model, @RequestParam(required = false) String state, @RequestParam(required = false) String worker,
                @RequestParam(required = false) String domain, @RequestParam(name = "trigger", required = false) String trigger,
                @RequestParam(required = false) String app, @RequestParam(required = false) String since) {
        JobFilter filter = new JobFilter(state, worker, domain, trigger, app, since);
        model.addAttribute("jobs", queries.jobs(filter, clock.instant()));
        model.addAttribute("filter", filter);
        model.addAttribute("states", DashboardQueries.STATES);
        model.addAttribute("periods", JobFilter.PERIODS.keySet().stream().sorted(
                java.util.Comparator.comparing(JobFilter.PERIODS::get)).toList());
        return "dashboard/jobs";
    }

    @GetMapping("/dashboard/jobs/{id}")
    String job(Model model, @PathVariable String id) {
        jobModel(id, model::addAttribute);
        return "dashboard/job";
    }

    void jobModel(String id, java.util.function.BiConsumer<String, Object> model) {
        Job job = jobs.find(id).orElseThrow(() -> Problem.notFound("No job " + id));
        model.accept("job", job);
        model.accept("attempts", queries.attempts(id));
        model.accept("logs", logs.list(id, 0, 1000));
    }

    @GetMapping("/dashboard/instances")
    String instances(Model model) {
        model.addAttribute("domains", queries.domains());
        return "dashboard/instances";
    }

    @GetMapping("/dashboard/instances/{domain}")
    String instance(Model model, @PathVariable String domain) {
        model.addAttribute("domain", domain);
        model.addAttribute("apps", instances.apps(domain));
        model.addAttribute("triggers", instances.triggers(domain));
        return "dashboard/instance";
    }
}
