package org.jobstack.app.source;

import org.jobstack.app.manifest.AppKind;
import org.jobstack.app.manifest.Manifest;
import org.jobstack.app.manifest.ManifestParser;
import org.jobstack.app.manifest.ServiceDeclaration;
import org.jobstack.common.Problem;
import org.springframework.stereotype.Component;

/** Fetches an app's files and checks its manifest and service files, before anything is stored. */
@Component
public class AppFetcher {

    private final AppSources sources;
    private final ManifestParser manifests;

    AppFetcher(AppSources sources, ManifestParser manifests) {
        this.sources = sources;
        this.manifests = manifests;
    }

    /** The fetched files (close them when done) and their validated manifest. */
    public record FetchedApp(AppSources.Fetched files, Manifest manifest) implements AutoCloseable {
        public BuildFolder folder() {
            return files.folder();
        }

        @Override
        public void close() {
            files.close();
        }
    }

    public FetchedApp fetch(AppKind kind, String slug, String source) {
        AppSources.Fetched files = sources.open(source, kind.manifestFile());
        try {
            BuildFolder build = files.folder();
            byte[] bytes = build.readIfPresent(kind.manifestFile(), ManifestParser.MAX_BYTES);
            if (bytes == null) {
                throw Problem.notFound("No " + kind.manifestFile() + " in " + source);
            }
            Manifest manifest = manifests.parse(bytes, kind, slug);
            for (ServiceDeclaration service : manifest.services().values()) {
                if (!build.hasFile(service.file())) {
                    throw Problem.malformed(
                            "source",
                            kind.manifestFile() + ": services." + service.name() + ".file " + service.file()
                                    + " is not a file of the app");
                }
            }
            return new FetchedApp(files, manifest);
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }
}
