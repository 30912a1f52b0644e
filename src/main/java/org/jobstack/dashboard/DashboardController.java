package org.jobstack.dashboard;

import java.time.Clock;
import java.time.Instant;
import org.jobstack.common.Problem;
import org.jobstack.job.Job;
import org.jobstack.job.JobCancellation;
import org.jobstack.job.JobExecutor;
import org.jobstack.job.JobLogStore;
import org.jobstack.job.JobStore;
import org.jobstack.job.WorkerRegistry;
import org.jobstack.trigger.TriggerFiring;
import org.jobstack.trigger.TriggerService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The operators' pages: overview, jobs, one job, instances with their apps and triggers; and their actions. */
@Controller
class DashboardController {

    private final DashboardQueries queries;
    private final ThroughputHistory throughput;
    private final WorkerRegistry workers;
    private final JobExecutor executor;
    private final JobStore jobs;
    private final JobLogStore logs;
    private final JobCancellation cancellation;
    private final TriggerService triggers;
    private final TriggerFiring firing;
    private final Clock clock;

    DashboardController(DashboardQueries queries, ThroughputHistory throughput, WorkerRegistry workers,
                        JobExecutor executor, JobStore jobs, JobLogStore logs, JobCancellation cancellation,
                        TriggerService triggers, TriggerFiring firing, Clock clock) {
        this.queries = queries;
        this.throughput = throughput;
        this.workers = workers;
        this.executor = executor;
        this.jobs = jobs;
        this.logs = logs;
        this.cancellation = cancellation;
        this.triggers = triggers;
        this.firing = firing;
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
        model.accept("running", executor.runningCount());
        model.accept("recent", queries.jobs(null, null, domain, null));
        model.accept("domain", domain == null || domain.isBlank() ? null : domain);
        model.accept("states", DashboardQueries.STATES);
    }

    @GetMapping("/dashboard/jobs")
    String jobs(Model model, @RequestParam(required = false) String state, @RequestParam(required = false) String worker,
                @RequestParam(required = false) String domain, @RequestParam(name = "trigger", required = false) String trigger) {
        model.addAttribute("jobs", queries.jobs(state, worker, domain, trigger));
        model.addAttribute("filter", new Filter(state, worker, domain, trigger));
        model.addAttribute("states", DashboardQueries.STATES);
        return "dashboard/jobs";
    }

    record Filter(String state, String worker, String domain, String trigger) {
    }

    @GetMapping("/dashboard/jobs/{id}")
    String job(Model model, @PathVariable String id) {
        jobModel(id, model::addAttribute);
        return "dashboard/job";
    }

    void jobModel(String id, java.util.function.BiConsumer<String, Object> model) {
        Job job = jobs.find(id).orElseThrow(() -> Problem.notFound("No job " + id));
        model.accept("job", job);
        model.accept("logs", logs.list(id, 0, 1000));
    }

    @PostMapping("/dashboard/jobs/{id}/cancel")
    String cancel(@PathVariable String id) {
        Job job = jobs.find(id).orElseThrow(() -> Problem.notFound("No job " + id));
        if (!job.state().isFinal()) {
            cancellation.cancel(job, "asked by the dashboard");
        }
        return "redirect:/dashboard/jobs/" + id;
    }

    @GetMapping("/dashboard/instances")
    String instances(Model model) {
        model.addAttribute("domains", queries.domains());
        return "dashboard/instances";
    }

    @GetMapping("/dashboard/instances/{domain}")
    String instance(Model model, @PathVariable String domain) {
        model.addAttribute("domain", domain);
        model.addAttribute("apps", queries.apps(domain));
        model.addAttribute("triggers", queries.triggers(domain));
        return "dashboard/instance";
    }

    @PostMapping("/dashboard/instances/{domain}/triggers/{id}/launch")
    String launch(@PathVariable String domain, @PathVariable String id) {
        Job job = firing.launch(triggers.get(domain, id));
        return "redirect:/dashboard/jobs/" + job.id();
    }
}
