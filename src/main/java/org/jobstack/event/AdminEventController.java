package org.jobstack.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobstack.common.LockConflicts;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.Job;
import org.jobstack.web.RawJsonBody;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Admin API: the stack posts document changes here, one event or an array of them. */
@RestController
class AdminEventController {

    /** A batch firing several triggers may deadlock with another batch; it is all or nothing, so it runs again. */
    static final int DISPATCH_ATTEMPTS = 5;

    private final EventDispatcher dispatcher;
    private final int maxEvents;

    AdminEventController(EventDispatcher dispatcher, JobstackProperties properties) {
        this.dispatcher = dispatcher;
        this.maxEvents = properties.limits().eventsPerRequest();
    }

    @PostMapping("/instances/{domain}/events")
    @RawJsonBody
    ResponseEntity<Map<String, Object>> post(@PathVariable String domain, @RequestBody JsonNode body) {
        List<DocumentEvent> events = EventParser.parse(body, maxEvents);
        EventDispatcher.Dispatch dispatch =
                LockConflicts.retry(DISPATCH_ATTEMPTS, () -> dispatcher.dispatch(domain, events));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", dispatch.accepted());
        answer.put("jobs", dispatch.jobs().stream().map(Job::id).toList());
        return ResponseEntity.accepted().body(answer);
    }
}
