package org.jobstack.app;

import java.util.List;
import org.jobstack.app.manifest.ServiceDeclaration;
import org.jobstack.trigger.NewTrigger;
import org.jobstack.trigger.Trigger;
import org.jobstack.trigger.TriggerService;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The triggers Jobstack makes for apps' services (message {@code {"name","slug"}}, worker {@code service}). */
@Component
public class ServiceTriggers {

    private final TriggerService triggers;
    private final JsonMapper json;

    ServiceTriggers(TriggerService triggers, JsonMapper json) {
        this.triggers = triggers;
        this.json = json;
    }

    /** The stored service, with the id of the trigger made for it ({@code ""} when it has none). */
    public AppService create(String domain, String slug, ServiceDeclaration service) {
        String id = service.hasTrigger() ? createTrigger(domain, slug, service).id() : "";
        return new AppService(service.type(), service.file(), service.trigger(), service.debounce(), id);
    }

    public Trigger createTrigger(String domain, String slug, ServiceDeclaration service) {
        String message = json.writeValueAsString(
                json.createObjectNode().put("name", service.name()).put("slug", slug));
        return triggers.create(new NewTrigger(
                domain,
                service.triggerType(),
                service.triggerArguments(),
                "service",
                message,
                service.debounce(),
                null,
                slug));
    }

    public void delete(String domain, AppService service) {
        if (!service.triggerId().isEmpty()) {
            triggers.deleteIfPresent(domain, service.triggerId());
        }
    }

    public void deleteKonnectorTriggers(String domain, String slug) {
        for (Trigger trigger : triggers.list(domain, List.of("konnector"), List.of())) {
            if (slug.equals(messageField(trigger, "konnector"))) {
                triggers.deleteIfPresent(domain, trigger.id());
            }
        }
    }

    /** A text field of a trigger's message, or null when absent or unreadable. */
    public String messageField(Trigger trigger, String field) {
        if (trigger.message() == null) {
            return null;
        }
        try {
            var value = json.readTree(trigger.message()).get(field);
            return value != null && value.isString() ? value.asString() : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
