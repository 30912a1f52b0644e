package org.jobstack.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.jobstack.app.App;
import org.jobstack.app.AppCatalog;
import org.jobstack.common.PageCursor;
import org.jobstack.common.PageSlice;
import org.jobstack.common.Problem;
import org.jobstack.instance.Instance;
import org.jobstack.instance.InstanceService;
import org.jobstack.job.AttemptRecord;
import org.jobstack.job.Job;
import org.jobstack.job.JobCounts;
import org.jobstack.job.JobQueries;
import org.jobstack.job.JobSummary;
import org.jobstack.job.WorkerRegistry;
import org.jobstack.job.log.JobLogs;
import org.jobstack.node.Nodes;
import org.jobstack.node.Throughput;
import org.jobstack.node.WorkerPauses;
import org.jobstack.trigger.TriggerOverview;
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

    static final int PAGE = 50;
    /** Instances on the instances page, triggers on an instance's page: the rest follows a "next" link. */
    static final int LISTING_PAGE = 100;

    private static final DateTimeFormatter COUNTED_AT =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final JobQueries jobs;
    private final JobLogs logs;
    private final Nodes nodes;
    private final WorkerRegistry workers;
    private final WorkerPauses pauses;
    private final InstanceService instances;
    private final AppCatalog apps;
    private final TriggerOverview triggers;
    private final Throughput throughput;
    private final Clock clock;

    DashboardController(
            JobQueries jobs,
            JobLogs logs,
            Nodes nodes,
            WorkerRegistry workers,
            WorkerPauses pauses,
            InstanceService instances,
            AppCatalog apps,
            TriggerOverview triggers,
            Throughput throughput,
            Clock clock) {
        this.jobs = jobs;
        this.logs = logs;
        this.nodes = nodes;
        this.workers = workers;
        this.pauses = pauses;
        this.instances = instances;
        this.apps = apps;
        this.triggers = triggers;
        this.throughput = throughput;
        this.clock = clock;
    }

    /** A node as the overview shows it. */
    record NodeRow(
            String id,
            String host,
            String version,
            String state,
            Instant startedAt,
            Duration heartbeatAge,
            long running,
            boolean self) {}

    /** A running attempt as the overview shows it. */
    record RunningRow(String id, String domain, String worker, String node, int attempt, Duration runningFor) {}

    record ServiceRow(String name, String type, String file, String trigger, String debounce, String triggerId) {}

    record AppRow(String kind, String slug, String version, String state, String error, List<ServiceRow> services) {}

    @GetMapping("/dashboard")
    String overview(Model model, @RequestParam(required = false) String domain) {
        overviewModel(domain, model::addAttribute);
        model.addAttribute("chart", throughput.series());
        return "dashboard/overview";
    }

    /** What the overview's live part shows (newest jobs of one instance, or of all); also used by the stream. */
    void overviewModel(String domain, BiConsumer<String, Object> model) {
        Instant now = clock.instant();
        Map<String, Duration> waits = new TreeMap<>();
        jobs.oldestQueuedAt().forEach((worker, oldest) -> waits.put(worker, Duration.between(oldest, now)));
        Map<String, Long> runningHere = nodes.runningHere();
        JobCounts.Counts counts = jobs.counts();
        model.accept("counts", counts.byWorker());
        model.accept("countedAt", COUNTED_AT.format(counts.finishedAsOf()));
        model.accept("waits", waits);
        model.accept(
                "nodes",
                nodes.all().stream()
                        .map(n -> new NodeRow(
                                n.id(),
                                n.host(),
                                n.version(),
                                n.state().value(),
                                n.startedAt(),
                                n.heartbeatAge(),
                                n.runningTotal(),
                                n.self()))
                        .toList());
        model.accept("workers", workers.all());
        model.accept("paused", pauses.paused());
        model.accept("busy", runningHere);
        model.accept(
                "running",
                runningHere.values().stream().mapToLong(Long::longValue).sum());
        model.accept(
                "runningJobs",
                jobs.runningAttempts(20).stream()
                        .map(r -> new RunningRow(
                                r.jobId(),
                                r.domain(),
                                r.worker(),
                                r.node(),
                                r.attempt(),
                                r.startedAt() == null ? Duration.ZERO : Duration.between(r.startedAt(), now)))
                        .toList());
        model.accept("recent", newest(JobFilter.byDomain(domain), now, PAGE));
        model.accept("domain", domain == null || domain.isBlank() ? null : domain);
        model.accept("states", JobFilter.STATES);
    }

    /** The newest jobs matching the filter, newest first, at most {@code limit}. */
    List<JobSummary> newest(JobFilter filter, Instant now, int limit) {
        return filter.search(now).map(search -> jobs.newest(search, limit)).orElse(List.of());
    }

    @GetMapping("/dashboard/jobs")
    String jobs(
            Model model,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String worker,
            @RequestParam(required = false) String domain,
            @RequestParam(name = "trigger", required = false) String trigger,
            @RequestParam(required = false) String app,
            @RequestParam(required = false) String since) {
        JobFilter filter = new JobFilter(state, worker, domain, trigger, app, since);
        model.addAttribute("jobs", newest(filter, clock.instant(), PAGE));
        model.addAttribute("filter", filter);
        model.addAttribute("states", JobFilter.STATES);
        model.addAttribute(
                "periods",
                JobFilter.PERIODS.keySet().stream()
                        .sorted(Comparator.comparing(JobFilter.PERIODS::get))
                        .toList());
        return "dashboard/jobs";
    }

    @GetMapping("/dashboard/jobs/{id}")
    String job(Model model, @PathVariable String id) {
        jobModel(id, model::addAttribute);
        return "dashboard/job";
    }

    void jobModel(String id, BiConsumer<String, Object> model) {
        Job job = jobs.find(id).orElseThrow(() -> Problem.notFound("No job " + id));
        List<AttemptRecord> attempts = jobs.attempts(id);
        model.accept("job", job);
        model.accept("attempts", attempts);
        model.accept("logs", logs.lines(id, 0, 1000));
    }

    @GetMapping("/dashboard/instances")
    String instances(
            Model model, @RequestParam(required = false) String domain, @RequestParam(required = false) String after) {
        if (domain != null && !domain.isBlank()) {
            return "redirect:/dashboard/instances/" + Redirects.encode(domain.strip());
        }
        PageSlice<Instance> page = PageSlice.of(
                instances.list(cursor(after), LISTING_PAGE + 1),
                LISTING_PAGE,
                i -> new PageCursor(i.createdAt(), i.domain()));
        model.addAttribute("domains", page.rows().stream().map(Instance::domain).toList());
        model.addAttribute("next", page.next() == null ? null : page.next().encode());
        return "dashboard/instances";
    }

    @GetMapping("/dashboard/instances/{domain}")
    String instance(Model model, @PathVariable String domain, @RequestParam(required = false) String after) {
        model.addAttribute("domain", domain);
        model.addAttribute(
                "apps",
                apps.all(domain).stream().map(DashboardController::appRow).toList());
        PageSlice<TriggerOverview.TriggerRow> listing = triggers.page(domain, cursor(after), LISTING_PAGE);
        model.addAttribute("triggers", listing.rows());
        model.addAttribute(
                "next", listing.next() == null ? null : listing.next().encode());
        return "dashboard/instance";
    }

    private static PageCursor cursor(String after) {
        return after == null || after.isBlank() ? null : PageCursor.decode(after);
    }

    private static AppRow appRow(App app) {
        List<ServiceRow> services = new TreeMap<>(app.services())
                .entrySet().stream()
                        .map(e -> new ServiceRow(
                                e.getKey(),
                                e.getValue().type(),
                                e.getValue().file(),
                                e.getValue().trigger(),
                                e.getValue().debounce(),
                                e.getValue().triggerId()))
                        .toList();
        return new AppRow(
                app.kind().value(), app.slug(), app.version(), app.state().value(), app.error(), services);
    }
}
