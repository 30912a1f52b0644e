package org.jobstack.event;

import java.util.List;
import java.util.Map;
import org.jobstack.config.JobstackProperties;
import org.jobstack.web.RawJsonBody;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Admin API beyond the reference: would these events, or a call of that webhook, fire the
 * instance's triggers, and why not. Takes exactly what the firing routes take; changes nothing.
 */
@RestController
class ExplainController {

    private final EventExplainer explainer;
    private final int maxEvents;

    ExplainController(EventExplainer explainer, JobstackProperties properties) {
        this.explainer = explainer;
        this.maxEvents = properties.limits().eventsPerRequest();
    }

    @PostMapping("/instances/{domain}/events/explain")
    @RawJsonBody
    Map<String, List<EventExplainer.EventVerdicts>> events(@PathVariable String domain, @RequestBody JsonNode body) {
        return Map.of("events", explainer.explain(domain, EventParser.parse(body, maxEvents)));
    }

    @PostMapping("/instances/{domain}/webhooks/{id}/explain")
    EventExplainer.Verdict webhook(@PathVariable String domain, @PathVariable String id) {
        return explainer.explainWebhook(domain, id);
    }
}
