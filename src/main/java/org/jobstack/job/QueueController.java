package org.jobstack.job;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jobstack.auth.Caller;
import org.jobstack.common.BigDuration;
import org.jobstack.common.PageCursor;
import org.jobstack.common.Problem;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApiBody;
import org.jobstack.web.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /jobs/queue/:worker}, {@code /jobs/purge}, {@code /jobs/clean} (reference §2.2). */
@RestController
class QueueController {

    static final int LIST_LIMIT = 200;
    static final int MAX_LIST_LIMIT = 1000;
    static final int KEEP_PER_WORKER_AND_STATE = 50;
    static final Duration CLIENT_JOB_ABANDONED_AFTER = Duration.ofHours(1);

    private final GroupedPushes pushes;
    private final JobStore jobs;
    private final WorkerRegistry workers;
    private final JobDocuments documents;
    private final Clock clock;

    QueueController(GroupedPushes pushes, JobStore jobs, WorkerRegistry workers, JobDocuments documents, Clock clock) {
        this.pushes = pushes;
        this.jobs = jobs;
        this.workers = workers;
        this.documents = documents;
        this.clock = clock;
    }

    @PostMapping("/jobs/queue/{worker}")
    ResponseEntity<Document> push(
            @AuthenticationPrincipal Caller caller, @PathVariable String worker, @RequestBody JsonNode body) {
        caller.require("POST", JobDocuments.DOCTYPE, null, Map.of("worker", worker));
        workers.refuseReserved(worker, caller.isCli());
        ObjectNode a = JsonApiBody.attributes(body);
        if (a.path("forward_logs").asBoolean(false) && !caller.isCli()) {
            throw Problem.forbidden("forward_logs is for the CLI only");
        }
        JsonNode manual = a.get("manual");
        if (manual != null && !manual.isBoolean() && !manual.isNull()) {
            throw Problem.malformed("manual", "manual must be true or false");
        }
        String event = JsonApiBody.json(a, "event");
        String payload = JsonApiBody.json(a, "payload");
        if ((event != null || payload != null) && !caller.isCli()) {
            throw Problem.forbidden("event and payload are for the CLI only (jobstack apps dev --run)");
        }
        if (event != null && !a.get("event").isObject()) {
            throw Problem.malformed("event", "event must be an object such as {\"doc\":{…}}");
        }
        Job job = pushes.push(JobRequest.to(caller.domain(), worker)
                .message(JsonApiBody.json(a, "arguments"))
                .event(event)
                .payload(payload)
                .manual(manual != null && manual.asBoolean(false))
                .options(JobOptionsReader.read(a.get("options")))
                .build());
        return JsonApi.single(202, documents.job(job));
    }

    @GetMapping("/jobs/queue/{worker}")
    ResponseEntity<Document> list(
            @AuthenticationPrincipal Caller caller, @PathVariable String worker, HttpServletRequest request) {
        caller.require("GET", JobDocuments.DOCTYPE, null, Map.of("worker", worker));
        workers.find(worker).orElseThrow(() -> Problem.notFound("Unknown worker " + worker));
        Page page = Page.of(request, LIST_LIMIT, MAX_LIST_LIMIT);
        return page.answer(
                jobs.queuedOrRunning(caller.domain(), worker, page.after(), page.fetch()),
                documents::job,
                j -> new PageCursor(j.queuedAt(), j.id()),
                request);
    }

    /** Deletes finished jobs older than {@code duration} (default 2W), keeping the 50 newest per worker and state. */
    @DeleteMapping("/jobs/purge")
    ResponseEntity<Map<String, Integer>> purge(
            @AuthenticationPrincipal Caller caller,
            @RequestParam(name = "duration", defaultValue = "2W") String duration,
            @RequestParam(name = "workers", required = false) String names) {
        caller.requireWholeType("DELETE", JobDocuments.DOCTYPE);
        Duration age;
        try {
            age = BigDuration.parse(duration);
        } catch (IllegalArgumentException e) {
            throw Problem.malformed("duration", "duration must look like 2W, 3D, 1Y2M or 12h: " + e.getMessage());
        }
        List<String> targets = names == null || names.isBlank()
                ? workers.all().stream().map(WorkerDefinition::name).toList()
                : Arrays.stream(names.split(","))
                        .map(String::strip)
                        .filter(n -> !n.isEmpty())
                        .toList();
        int deleted = 0;
        for (int n = -1; n != 0; ) {
            n = jobs.purge(caller.domain(), targets, clock.instant().minus(age), KEEP_PER_WORKER_AND_STATE, 1000);
            deleted += n;
        }
        return ResponseEntity.ok(Map.of("deleted", deleted));
    }

    /** Errors the client jobs nobody completed within an hour. Other jobs have leases and need no cleaning. */
    @PostMapping("/jobs/clean")
    ResponseEntity<Map<String, Integer>> clean(@AuthenticationPrincipal Caller caller) {
        caller.requireWholeType("POST", JobDocuments.DOCTYPE);
        int cleaned = jobs.abandonClientJobs(
                caller.domain(),
                clock.instant().minus(CLIENT_JOB_ABANDONED_AFTER),
                clock.instant(),
                "abandoned: not completed by its client within 1 hour");
        return ResponseEntity.ok(Map.of("deleted", cleaned));
    }
}
