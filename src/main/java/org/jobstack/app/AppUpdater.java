package org.jobstack.app;

import org.jobstack.app.manifest.AppKind;
import org.jobstack.app.manifest.Manifest;
import org.jobstack.app.source.AppFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Updates an installed app to what its source (or a new one) holds now. The app stays ready on its
 * current version while the new one is fetched and checked; the switch — files, manifest, service
 * triggers — happens in one transaction. Any failure leaves the previous version and its triggers
 * as they were. The previous version's files stay stored for jobs that started on it; older ones
 * are deleted, from the database and from this node's cache.
 */
@Service
public class AppUpdater {

    private static final Logger log = LoggerFactory.getLogger(AppUpdater.class);

    private final AppCatalog catalog;
    private final AppFetcher fetcher;
    private final AppVersions versions;
    private final AppRegistrar registrar;
    private final AppFiles files;

    AppUpdater(AppCatalog catalog, AppFetcher fetcher, AppVersions versions, AppRegistrar registrar, AppFiles files) {
        this.catalog = catalog;
        this.fetcher = fetcher;
        this.versions = versions;
        this.registrar = registrar;
        this.files = files;
    }

    /** The installed app to update; 404 when there is none. */
    public App current(String domain, AppKind kind, String slug) {
        return catalog.get(domain, kind, slug);
    }

    public App update(String domain, AppKind kind, String slug, String newSource, AppProgress progress) {
        App current = current(domain, kind, slug);
        String source = newSource == null || newSource.isBlank() ? current.source() : newSource;
        progress.reached(current.withState(AppState.UPGRADING));
        try (AppFetcher.FetchedApp fetched = fetcher.fetch(kind, slug, source)) {
            Manifest manifest = fetched.manifest();
            StoredVersion stored = versions.store(domain, kind, slug, manifest.version(), fetched.folder());
            App updated;
            try {
                updated = registrar.upgrade(current.getId(), current.versionId(), source, stored, manifest);
            } catch (RuntimeException e) {
                versions.discard(stored);
                throw e;
            }
            versions.pruneReplaced(updated);
            files.prune();
            log.atInfo()
                    .addKeyValue("domain", domain)
                    .addKeyValue("slug", slug)
                    .addKeyValue("from", current.version())
                    .addKeyValue("version", manifest.version())
                    .log("Updated {} from {} to {}", slug, current.version(), manifest.version());
            progress.reached(updated);
            return updated;
        }
    }
}
