package org.jobstack.job;

import org.jobstack.auth.Caller;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApiBody;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /jobs/:id}: show, complete (client jobs), cancel. */
@RestController
class JobController {

    private final VisibleJobs jobs;
    private final JobDocuments documents;
    private final ClientJobs clientJobs;
    private final JobCancellation cancellation;

    JobController(VisibleJobs jobs, JobDocuments documents, ClientJobs clientJobs, JobCancellation cancellation) {
        this.jobs = jobs;
        this.documents = documents;
        this.clientJobs = clientJobs;
        this.cancellation = cancellation;
    }

    /** Cancels a queued or running job; a running one has its process tree killed. */
    @PostMapping("/jobs/{id}/cancel")
    ResponseEntity<Document> cancel(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        Job job = jobs.get(caller, id, "PATCH");
        return JsonApi.single(202, documents.job(cancellation.cancel(job, "asked by " + caller.subject())));
    }

    /** A client completes its {@code client} job: {@code state} done or errored, with an optional {@code error}. */
    @PatchMapping("/jobs/{id}")
    ResponseEntity<Document> complete(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestBody JsonNode body) {
        Job job = jobs.get(caller, id, "PATCH");
        ObjectNode a = JsonApiBody.attributes(body);
        String state = JsonApiBody.string(a, "state");
        return JsonApi.single(200, documents.job(clientJobs.complete(job, state, JsonApiBody.string(a, "error"))));
    }

    @GetMapping("/jobs/{id}")
    ResponseEntity<Document> show(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return JsonApi.single(200, documents.job(jobs.get(caller, id, "GET")));
    }
}
