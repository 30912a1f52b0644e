package org.jobstack.job;

import java.util.List;
import java.util.Map;
import org.jobstack.auth.Caller;
import org.jobstack.common.Problem;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApiBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /jobs/:id} and its logs. */
@RestController
class JobController {

    private final JobStore jobs;
    private final JobLogStore logs;
    private final JobDocuments documents;
    private final ClientJobs clientJobs;
    private final LogFollower follower;
    private final JobCancellation cancellation;

    JobController(JobStore jobs, JobLogStore logs, JobDocuments documents, ClientJobs clientJobs, LogFollower follower,
                  JobCancellation cancellation) {
        this.jobs = jobs;
        this.logs = logs;
        this.documents = documents;
        this.clientJobs = clientJobs;
        this.follower = follower;
        this.cancellation = cancellation;
    }

    /** Cancels a queued or running job; a running one has its process tree killed. */
    @PostMapping("/jobs/{id}/cancel")
    ResponseEntity<Document> cancel(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        Job job = jobs.find(id).filter(j -> j.domain().equals(caller.domain()))
                .orElseThrow(() -> Problem.notFound("No job " + id));
        caller.require("PATCH", JobDocuments.DOCTYPE, id, Map.of("worker", job.worker(), "state", job.state().value()));
        return JsonApi.single(202, documents.job(cancellation.cancel(job, "asked by " + caller.subject())));
    }

    /** {@code ?follow=true}: the job's logs live, as Server-Sent Events, until it ends. */
    @GetMapping(value = "/jobs/{id}/logs", params = "follow=true", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter follow(@AuthenticationPrincipal Caller caller, @PathVariable String id,
                      @RequestParam(name = "after", defaultValue = "0") int after) {
        visibleJob(caller, id);
        return follower.follow(id, after);
    }

    /** A client completes its {@code client} job: {@code state} done or errored, with an optional {@code error}. */
    @PatchMapping("/jobs/{id}")
    ResponseEntity<Document> complete(@AuthenticationPrincipal Caller caller, @PathVariable String id,
                                      @RequestBody JsonNode body) {
        Job job = jobs.find(id).filter(j -> j.domain().equals(caller.domain()))
                .orElseThrow(() -> Problem.notFound("No job " + id));
        caller.require("PATCH", JobDocuments.DOCTYPE, id, Map.of("worker", job.worker(), "state", job.state().value()));
        ObjectNode a = JsonApiBody.attributes(body);
        String state = JsonApiBody.string(a, "state");
        return JsonApi.single(200, documents.job(clientJobs.complete(job, state, JsonApiBody.string(a, "error"))));
    }

    @GetMapping("/jobs/{id}")
    ResponseEntity<Document> show(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return JsonApi.single(200, documents.job(visibleJob(caller, id)));
    }

    @GetMapping("/jobs/{id}/logs")
    ResponseEntity<Document> logs(@AuthenticationPrincipal Caller caller, @PathVariable String id,
                                  @RequestParam(name = "after", defaultValue = "0") int after,
                                  @RequestParam(name = "limit", defaultValue = "1000") int limit) {
        visibleJob(caller, id);
        if (limit < 1 || limit > 10_000) {
            throw Problem.invalid(Problem.Source.parameter("limit"), "limit must be between 1 and 10000");
        }
        List<JsonApi.Resource> lines = logs.list(id, after, limit).stream().map(documents::logLine).toList();
        return JsonApi.list(lines, null);
    }

    private Job visibleJob(Caller caller, String id) {
        Job job = jobs.find(id).filter(j -> j.domain().equals(caller.domain()))
                .orElseThrow(() -> Problem.notFound("No job " + id));
        caller.require("GET", JobDocuments.DOCTYPE, id, Map.of("worker", job.worker(), "state", job.state().value()));
        return job;
    }
}
