package org.jobstack.app;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.app.manifest.Manifest;
import org.jobstack.app.manifest.ServiceDeclaration;
import org.jobstack.common.DocumentChanged;
import org.jobstack.common.Ids;
import org.jobstack.common.Problem;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records apps and the triggers of their services, each change in one transaction: install, a new
 * version (services diffed as the stack does, §3.6), uninstall.
 */
@Component
class AppRegistrar {

    private final AppRepository apps;
    private final ServiceTriggers serviceTriggers;
    private final AppDocuments documents;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    AppRegistrar(
            AppRepository apps,
            ServiceTriggers serviceTriggers,
            AppDocuments documents,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.apps = apps;
        this.serviceTriggers = serviceTriggers;
        this.documents = documents;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public App register(String domain, AppKind kind, String source, Path storage, Manifest manifest) {
        Map<String, AppService> services = new LinkedHashMap<>();
        for (ServiceDeclaration service : manifest.services().values()) {
            services.put(service.name(), serviceTriggers.create(domain, manifest.slug(), service));
        }
        App app = new App(
                Ids.newId(),
                domain,
                kind,
                manifest.slug(),
                AppState.READY,
                manifest.version(),
                source,
                storage,
                json.writeValueAsString(manifest.json()),
                services,
                clock.instant());
        try {
            App saved = apps.saveAndFlush(app);
            written("CREATED", saved);
            return saved;
        } catch (DataIntegrityViolationException e) {
            throw Problem.conflict("Application " + manifest.slug() + " is already installed");
        }
    }

    /**
     * Moves an installed app to a new version. {@code from} is the storage the update started from:
     * when another update got there first, this one is refused (409) and changes nothing.
     */
    @Transactional
    public App upgrade(String appId, Path from, String source, Path storage, Manifest manifest) {
        App app = apps.findLockedById(appId)
                .orElseThrow(() ->
                        Problem.notFound("Application " + manifest.slug() + " was uninstalled during the update"));
        if (!app.storage().equals(from)) {
            throw Problem.conflict("Application " + manifest.slug() + " was updated by someone else meanwhile");
        }
        Map<String, AppService> old = app.services();
        Map<String, AppService> services = new LinkedHashMap<>();
        for (ServiceDeclaration service : manifest.services().values()) {
            AppService previous = old.get(service.name());
            if (previous != null && previous.sameDeclaration(service)) {
                services.put(service.name(), previous);
            } else {
                if (previous != null) {
                    serviceTriggers.delete(app.domain(), previous);
                }
                services.put(service.name(), serviceTriggers.create(app.domain(), manifest.slug(), service));
            }
        }
        old.forEach((name, previous) -> {
            if (!manifest.services().containsKey(name)) {
                serviceTriggers.delete(app.domain(), previous);
            }
        });
        app.upgrade(
                manifest.version(),
                source,
                storage,
                json.writeValueAsString(manifest.json()),
                services,
                clock.instant());
        App saved = apps.saveAndFlush(app);
        written("UPDATED", saved);
        return saved;
    }

    /** Deletes the app and its triggers (a konnector's too: no trigger may outlive what it runs). */
    @Transactional
    public App remove(String appId) {
        App app = apps.findLockedById(appId).orElseThrow(() -> Problem.notFound("Application is not installed"));
        app.services().values().forEach(service -> serviceTriggers.delete(app.domain(), service));
        if (app.kind() == AppKind.KONNECTOR) {
            serviceTriggers.deleteKonnectorTriggers(app.domain(), app.slug());
        }
        apps.delete(app);
        apps.flush();
        events.publishEvent(new DocumentChanged(
                app.domain(),
                "DELETED",
                app.kind().doctype(),
                app.kind().docId(app.slug()),
                null,
                documents.attributes(app)));
        return app;
    }

    private void written(String verb, App app) {
        events.publishEvent(new DocumentChanged(
                app.domain(),
                verb,
                app.kind().doctype(),
                app.kind().docId(app.slug()),
                documents.attributes(app),
                null));
    }
}
