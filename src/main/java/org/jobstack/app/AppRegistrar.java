package org.jobstack.app;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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
 * version (services diffed as the stack does, §3.6), uninstall. The stored version an app comes to
 * point at becomes installed in the same transaction; an uninstall deletes its versions with it.
 */
@Component
class AppRegistrar {

    private final AppRepository apps;
    private final AppVersionStore versions;
    private final ServiceTriggers serviceTriggers;
    private final AppDocuments documents;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    AppRegistrar(
            AppRepository apps,
            AppVersionStore versions,
            ServiceTriggers serviceTriggers,
            AppDocuments documents,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.apps = apps;
        this.versions = versions;
        this.serviceTriggers = serviceTriggers;
        this.documents = documents;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public App register(String domain, AppKind kind, String source, StoredVersion files, Manifest manifest) {
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
                files,
                json.writeValueAsString(manifest.json()),
                services,
                clock.instant());
        try {
            App saved = apps.saveAndFlush(app);
            versions.markInstalled(files.id());
            written("CREATED", saved);
            return saved;
        } catch (DataIntegrityViolationException e) {
            throw Problem.conflict("Application " + manifest.slug() + " is already installed");
        }
    }

    /**
     * Moves an installed app to a new version. {@code fromVersionId} is the stored version the
     * update started from: when another update got there first, this one is refused (409) and
     * changes nothing.
     */
    @Transactional
    public App upgrade(String appId, String fromVersionId, String source, StoredVersion files, Manifest manifest) {
        App app = apps.findLockedById(appId)
                .orElseThrow(() ->
                        Problem.notFound("Application " + manifest.slug() + " was uninstalled during the update"));
        if (!Objects.equals(app.versionId(), fromVersionId)) {
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
                manifest.version(), source, files, json.writeValueAsString(manifest.json()), services, clock.instant());
        App saved = apps.saveAndFlush(app);
        versions.markInstalled(files.id());
        written("UPDATED", saved);
        return saved;
    }

    /**
     * Points a legacy app (files in a folder, none stored) at its imported files. False, changing
     * nothing, when it has stored files already (another node imported them first).
     */
    @Transactional
    public boolean adopt(String appId, StoredVersion files) {
        App app = apps.findLockedById(appId).orElse(null);
        if (app == null || app.versionId() != null) {
            return false;
        }
        app.adopt(files, clock.instant());
        App saved = apps.saveAndFlush(app);
        versions.markInstalled(files.id());
        written("UPDATED", saved);
        return true;
    }

    /** Marks a legacy app whose files cannot be imported errored, with why. */
    @Transactional
    public void filesMissing(String appId, String why) {
        apps.findLockedById(appId).filter(app -> app.versionId() == null).ifPresent(app -> {
            app.filesMissing(why, clock.instant());
            written("UPDATED", apps.saveAndFlush(app));
        });
    }

    /**
     * Deletes the app, its triggers (a konnector's too: no trigger may outlive what it runs) and
     * its stored versions.
     */
    @Transactional
    public App remove(String appId) {
        App app = apps.findLockedById(appId).orElseThrow(() -> Problem.notFound("Application is not installed"));
        app.services().values().forEach(service -> serviceTriggers.delete(app.domain(), service));
        if (app.kind() == AppKind.KONNECTOR) {
            serviceTriggers.deleteKonnectorTriggers(app.domain(), app.slug());
        }
        apps.delete(app);
        apps.flush();
        versions.deleteInstalled(app.domain(), app.kind(), app.slug());
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
