package org.jobstack.trigger;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jobstack.auth.Caller;
import org.jobstack.common.PageCursor;
import org.jobstack.common.Problem;
import org.jobstack.job.JobDocuments;
import org.jobstack.job.JobOptionsReader;
import org.jobstack.job.JobStore;
import org.jobstack.job.WorkerRegistry;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApiBody;
import org.jobstack.web.Page;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /jobs/triggers}: the stack's triggers API (reference §2.2). */
@RestController
class TriggerController {

    private static final String DOCTYPE = TriggerDocuments.DOCTYPE;
    private static final int MAX_JOBS = 50;
    /** A page of triggers: more than an instance has in practice, so that clients that read one page see all. */
    private static final int MAX_TRIGGERS = 1000;

    private final TriggerService triggers;
    private final TriggerFiring firing;
    private final TriggerStates states;
    private final JobStore jobs;
    private final TriggerDocuments documents;
    private final JobDocuments jobDocuments;
    private final WorkerRegistry workers;

    TriggerController(
            TriggerService triggers,
            TriggerFiring firing,
            TriggerStates states,
            JobStore jobs,
            TriggerDocuments documents,
            JobDocuments jobDocuments,
            WorkerRegistry workers) {
        this.workers = workers;
        this.triggers = triggers;
        this.firing = firing;
        this.states = states;
        this.jobs = jobs;
        this.documents = documents;
        this.jobDocuments = jobDocuments;
    }

    @PostMapping("/jobs/triggers")
    ResponseEntity<Document> create(@AuthenticationPrincipal Caller caller, @RequestBody JsonNode body) {
        ObjectNode a = JsonApiBody.attributes(body);
        String type = JsonApiBody.string(a, "type");
        String worker = "@client".equals(type) ? "client" : JsonApiBody.string(a, "worker");
        caller.require("POST", DOCTYPE, null, worker == null ? Map.of() : Map.of("worker", worker));
        workers.refuseReserved(worker, caller.isCli());
        String message = JsonApiBody.json(a, "message");
        if (message == null || message.equals("\"\"")) {
            message = JsonApiBody.json(a, "worker_arguments");
        }
        Trigger trigger = triggers.create(new NewTrigger(
                caller.domain(),
                type,
                JsonApiBody.string(a, "arguments"),
                worker,
                message,
                JsonApiBody.string(a, "debounce"),
                JobOptionsReader.read(a.get("options")),
                caller.subject()));
        return JsonApi.single(201, documents.trigger(trigger, null, baseUrl()));
    }

    @GetMapping("/jobs/triggers")
    ResponseEntity<Document> list(
            @AuthenticationPrincipal Caller caller,
            @RequestParam(name = "Worker", required = false) String worker,
            @RequestParam(name = "Type", required = false) String type,
            HttpServletRequest request) {
        Set<String> workers = commaList(worker);
        boolean wholeType = caller.permissions().allowsWholeType("GET", DOCTYPE);
        if (!wholeType
                && (workers.size() != 1
                        || !caller.permissions()
                                .allows(
                                        "GET",
                                        DOCTYPE,
                                        null,
                                        Map.of("worker", workers.iterator().next())))) {
            throw Problem.forbidden("Listing triggers needs GET on every io.cozy.triggers, or on one Worker");
        }
        Page page = Page.of(request, MAX_TRIGGERS, MAX_TRIGGERS);
        List<Trigger> found = triggers.list(caller.domain(), workers, commaList(type), page.after(), page.fetch());
        Map<String, TriggerState> all =
                states.all(found.stream().map(Trigger::id).toList());
        String base = baseUrl();
        return page.answer(
                found,
                t -> documents.trigger(t, all.getOrDefault(t.id(), TriggerState.none(t.id())), base),
                t -> new PageCursor(t.createdAt(), t.id()),
                request);
    }

    @GetMapping("/jobs/triggers/{id}")
    ResponseEntity<Document> show(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        Trigger trigger = visible(caller, "GET", id);
        return JsonApi.single(200, documents.trigger(trigger, states.of(id), baseUrl()));
    }

    @GetMapping("/jobs/triggers/{id}/state")
    ResponseEntity<Document> state(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        visible(caller, "GET", id);
        return JsonApi.single(200, documents.stateDocument(states.of(id)));
    }

    @GetMapping("/jobs/triggers/{id}/jobs")
    ResponseEntity<Document> jobs(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            @RequestParam(name = "Limit", required = false) String limit,
            HttpServletRequest request) {
        visible(caller, "GET", id);
        int n = MAX_JOBS;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw Problem.malformed("limit", "Limit must be an integer");
            }
            n = n <= 0 || n > MAX_JOBS ? MAX_JOBS : n;
        }
        Page page = Page.withLimit(request, n);
        return page.answer(
                jobs.findByTrigger(id, page.after(), page.fetch()),
                jobDocuments::job,
                j -> new PageCursor(j.queuedAt(), j.id()),
                request);
    }

    @PatchMapping("/jobs/triggers/{id}")
    ResponseEntity<Document> patch(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestBody JsonNode body) {
        visible(caller, "PATCH", id);
        ObjectNode a = JsonApiBody.attributes(body);
        String arguments = JsonApiBody.string(a, "arguments");
        String message = JsonApiBody.json(a, "message");
        if ((arguments == null || arguments.isBlank()) && message == null) {
            throw Problem.malformed("/data/attributes", "Only arguments and message can be patched");
        }
        Trigger trigger = triggers.patch(
                caller.domain(), id, arguments == null || arguments.isBlank() ? null : arguments, message);
        return JsonApi.single(200, documents.trigger(trigger, null, baseUrl()));
    }

    @PostMapping("/jobs/triggers/{id}/launch")
    ResponseEntity<Document> launch(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        Trigger trigger = visible(caller, "POST", id);
        return JsonApi.single(201, jobDocuments.job(firing.launch(trigger)));
    }

    @DeleteMapping("/jobs/triggers/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        visible(caller, "DELETE", id);
        triggers.delete(caller.domain(), id);
        return ResponseEntity.noContent().build();
    }

    private Trigger visible(Caller caller, String verb, String id) {
        Trigger trigger = triggers.get(caller.domain(), id);
        caller.require(verb, DOCTYPE, id, Map.of("worker", trigger.worker()));
        return trigger;
    }

    private static Set<String> commaList(String value) {
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    private static String baseUrl() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }
}
