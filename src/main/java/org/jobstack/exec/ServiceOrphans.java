package org.jobstack.exec;

import org.jobstack.app.AppService;
import org.jobstack.job.Job;
import org.jobstack.job.JobFailure;
import org.jobstack.trigger.Trigger;
import org.jobstack.trigger.TriggerRepository;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service job whose trigger is not the one the app's service points at is an orphan (left over
 * from an older version) when that trigger names another service; its trigger must go.
 */
@Component
class ServiceOrphans {

    private final TriggerRepository triggers;
    private final JsonMapper json;

    ServiceOrphans(TriggerRepository triggers, JsonMapper json) {
        this.triggers = triggers;
        this.json = json;
    }

    void check(Job job, String serviceName, AppService service) throws JobFailure {
        if (job.triggerId() == null
                || service.triggerId().isEmpty()
                || job.triggerId().equals(service.triggerId())) {
            return;
        }
        Trigger trigger =
                triggers.findByIdAndDomain(job.triggerId(), job.domain()).orElse(null);
        if (trigger == null) {
            return;
        }
        JsonNode message;
        try {
            message = trigger.message() == null ? null : json.readTree(trigger.message());
        } catch (JacksonException e) {
            throw JobFailure.badTrigger("Trigger \"" + trigger.id() + "\" has bad message structure");
        }
        if (message == null || !serviceName.equals(message.path("name").asString(""))) {
            throw JobFailure.badTrigger("Trigger \"" + trigger.id() + "\" is orphan");
        }
    }
}
