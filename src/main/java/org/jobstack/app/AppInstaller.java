package org.jobstack.app;

import java.time.Clock;
import java.util.regex.Pattern;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.app.manifest.Manifest;
import org.jobstack.app.source.AppFetcher;
import org.jobstack.common.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Installs apps atomically: the manifest and every service (file, trigger, debounce) are checked
 * before anything is stored; files are stored as a new version in the database; the app and its
 * triggers are recorded in one transaction. A failure at any step leaves nothing behind.
 */
@Service
public class AppInstaller {

    public static final Pattern SLUG = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Logger log = LoggerFactory.getLogger(AppInstaller.class);

    private final AppFetcher fetcher;
    private final AppVersions versions;
    private final AppRegistrar registrar;
    private final AppRepository apps;
    private final Clock clock;

    AppInstaller(AppFetcher fetcher, AppVersions versions, AppRegistrar registrar, AppRepository apps, Clock clock) {
        this.fetcher = fetcher;
        this.versions = versions;
        this.registrar = registrar;
        this.apps = apps;
        this.clock = clock;
    }

    public static String validSlug(String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw Problem.invalid("slug", "Invalid slug: lowercase letters, digits and '-' only (at most 64)");
        }
        return slug;
    }

    /** Refuses at once what would fail anyway: a bad slug, an app already there. */
    public void checkInstallable(String domain, AppKind kind, String slug) {
        validSlug(slug);
        if (apps.existsByDomainAndKindAndSlug(domain, kind.value(), slug)) {
            throw Problem.conflict("Application " + slug + " is already installed");
        }
    }

    public App install(String domain, AppKind kind, String slug, String source) {
        return install(domain, kind, slug, source, AppProgress.NONE);
    }

    public App install(String domain, AppKind kind, String slug, String source, AppProgress progress) {
        checkInstallable(domain, kind, slug);
        try (AppFetcher.FetchedApp fetched = fetcher.fetch(kind, slug, source)) {
            Manifest manifest = fetched.manifest();
            progress.reached(App.preview(
                    domain,
                    kind,
                    slug,
                    AppState.INSTALLING,
                    manifest.version(),
                    source,
                    manifest.json().toString(),
                    clock.instant()));
            StoredVersion stored = versions.store(domain, kind, slug, manifest.version(), fetched.folder());
            App app;
            try {
                app = registrar.register(domain, kind, source, stored, manifest);
            } catch (RuntimeException e) {
                versions.discard(stored);
                throw e;
            }
            log.atInfo()
                    .addKeyValue("domain", domain)
                    .addKeyValue("slug", slug)
                    .addKeyValue("version", manifest.version())
                    .log("Installed {} {}", slug, manifest.version());
            progress.reached(app);
            return app;
        }
    }
}
