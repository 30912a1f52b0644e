package org.jobstack.app;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.jobstack.common.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Installs apps atomically: the manifest and every service (file, trigger, debounce) are checked
 * before anything is stored; files are copied to a fresh folder; the app and its triggers are
 * recorded in one transaction. A failure at any step leaves nothing behind.
 */
@Service
public class AppInstaller {

    public static final Pattern SLUG = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Logger log = LoggerFactory.getLogger(AppInstaller.class);

    private final AppSources sources;
    private final ManifestParser manifests;
    private final AppStorage storage;
    private final AppRegistrar registrar;
    private final AppRepository apps;

    public AppInstaller(AppSources sources, ManifestParser manifests, AppStorage storage, AppRegistrar registrar,
                        AppRepository apps) {
        this.sources = sources;
        this.manifests = manifests;
        this.storage = storage;
        this.registrar = registrar;
        this.apps = apps;
    }

    public static String validSlug(String slug) {
        if (slug == null || !SLUG.matcher(slug).matches()) {
            throw Problem.invalid(Problem.Source.parameter("slug"),
                    "Invalid slug: lowercase letters, digits and '-' only (at most 64)");
        }
        return slug;
    }

    public App install(String domain, AppKind kind, String slug, String source) {
        validSlug(slug);
        if (apps.existsByDomainAndKindAndSlug(domain, kind.value(), slug)) {
            throw Problem.conflict("Application " + slug + " is already installed");
        }
        BuildFolder build = sources.open(source);
        byte[] manifestBytes = build.readIfPresent(kind.manifestFile(), ManifestParser.MAX_BYTES);
        if (manifestBytes == null) {
            throw Problem.notFound("No " + kind.manifestFile() + " in " + source);
        }
        Manifest manifest = manifests.parse(manifestBytes, kind, slug);
        for (ServiceDeclaration service : manifest.services().values()) {
            if (!build.hasFile(service.file())) {
                throw Problem.malformed(Problem.Source.parameter("Source"), kind.manifestFile() + ": services."
                        + service.name() + ".file " + service.file() + " is not a file of the app");
            }
        }
        Path stored = storage.store(domain, kind, slug, manifest.version(), build);
        try {
            App app = registrar.register(domain, kind, source, stored, manifest);
            log.atInfo().addKeyValue("domain", domain).addKeyValue("slug", slug)
                    .addKeyValue("version", manifest.version()).log("Installed {} {}", slug, manifest.version());
            return app;
        } catch (RuntimeException e) {
            storage.delete(stored);
            throw e;
        }
    }
}
