package org.jobstack.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jobstack.common.DocumentChanged;
import org.jobstack.common.Ids;
import org.jobstack.common.Problem;
import org.jobstack.trigger.NewTrigger;
import org.jobstack.trigger.Trigger;
import org.jobstack.trigger.TriggerService;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Records an installed app and the triggers of its services in one transaction. */
@Component
class AppRegistrar {

    private final AppRepository apps;
    private final TriggerService triggers;
    private final AppDocuments documents;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    AppRegistrar(AppRepository apps, TriggerService triggers, AppDocuments documents, ApplicationEventPublisher events,
                 JsonMapper json, Clock clock) {
        this.apps = apps;
        this.triggers = triggers;
        this.documents = documents;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public App register(String domain, AppKind kind, String source, Path storage, Manifest manifest) {
        Map<String, AppService> services = new LinkedHashMap<>();
        for (ServiceDeclaration service : manifest.services().values()) {
            String triggerId = service.hasTrigger() ? createTrigger(domain, manifest.slug(), service).id() : "";
            services.put(service.name(), new AppService(service.type(), service.file(), service.trigger(),
                    service.debounce(), triggerId));
        }
        App app = new App(Ids.newId(), domain, kind, manifest.slug(), AppState.READY, manifest.version(), source,
                storage, json.writeValueAsString(manifest.json()), services, clock.instant());
        try {
            App saved = apps.saveAndFlush(app);
            events.publishEvent(new DocumentChanged(domain, "CREATED", kind.doctype(), kind.docId(saved.slug()),
                    documents.attributes(saved), null));
            return saved;
        } catch (DataIntegrityViolationException e) {
            throw Problem.conflict("Application " + manifest.slug() + " is already installed");
        }
    }

    private Trigger createTrigger(String domain, String slug, ServiceDeclaration service) {
        var message = json.createObjectNode().put("name", service.name()).put("slug", slug);
        return triggers.create(new NewTrigger(domain, service.triggerType(), service.triggerArguments(), "service",
                json.writeValueAsString(message), service.debounce(), null, slug));
    }
}
