package org.jobstack.job.log;

import java.util.List;
import org.jobstack.auth.Caller;
import org.jobstack.common.Problem;
import org.jobstack.job.VisibleJobs;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code /jobs/:id/logs}: a job's log lines, or ({@code ?follow=true}) the lines as they come. */
@RestController
class JobLogController {

    private final VisibleJobs jobs;
    private final JobLogs logs;
    private final LogDocuments documents;
    private final LogStream follower;

    JobLogController(VisibleJobs jobs, JobLogs logs, LogDocuments documents, LogStream follower) {
        this.jobs = jobs;
        this.logs = logs;
        this.documents = documents;
        this.follower = follower;
    }

    /** {@code ?follow=true}: the job's logs live, as Server-Sent Events, until it ends. */
    @GetMapping(value = "/jobs/{id}/logs", params = "follow=true", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter follow(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestParam(name = "after", defaultValue = "0") int after) {
        jobs.get(caller, id, "GET");
        return follower.follow(id, after);
    }

    @GetMapping("/jobs/{id}/logs")
    ResponseEntity<Document> logs(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestParam(name = "after", defaultValue = "0") int after,
            @RequestParam(name = "limit", defaultValue = "1000") int limit) {
        jobs.get(caller, id, "GET");
        if (limit < 1 || limit > 10_000) {
            throw Problem.invalid("limit", "limit must be between 1 and 10000");
        }
        List<JsonApi.Resource> lines =
                logs.lines(id, after, limit).stream().map(documents::logLine).toList();
        return JsonApi.list(lines, null);
    }
}
