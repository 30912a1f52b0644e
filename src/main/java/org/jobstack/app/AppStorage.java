package org.jobstack.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.app.source.BuildFolder;
import org.jobstack.common.FileTrees;
import org.jobstack.common.Ids;
import org.jobstack.common.Problem;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.JobstackProperties;
import org.jobstack.instance.InstanceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Installed versions on disk: {@code <data-dir>/apps/<domain>/<kind>/<slug>/<version>-<id>/}. Each
 * install or update gets a fresh folder, so a running job never sees files change under it.
 * Copying refuses links that point outside the app and enforces size limits.
 */
@Component
public class AppStorage {

    private static final Logger log = LoggerFactory.getLogger(AppStorage.class);
    /** Prefix of the folders a version is copied into before it is complete. */
    private static final String STAGING = ".staging-";

    private final Path root;
    private final long maxBytes;
    private final int maxFiles;

    public AppStorage(DataDirectory dataDirectory, JobstackProperties properties) {
        Path configured = properties.apps().dir();
        this.root = configured != null ? configured.toAbsolutePath().normalize() : dataDirectory.resolve("apps");
        this.maxBytes = properties.limits().appBytes().toBytes();
        this.maxFiles = properties.limits().appFiles();
    }

    private Path appFolder(String domain, AppKind kind, String slug) {
        return root.resolve(domain).resolve(kind.value()).resolve(slug);
    }

    /**
     * Deletes the versions of an app other than those given (the current and the previous one),
     * leaving alone the versions other updates are still copying.
     */
    public void keepOnly(String domain, AppKind kind, String slug, Path... kept) {
        Set<Path> keep = Set.of(kept);
        try (Stream<Path> versions = Files.list(appFolder(domain, kind, slug))) {
            versions.filter(v -> !keep.contains(v) && (!staging(v) || abandoned(v)))
                    .forEach(this::delete);
        } catch (IOException e) {
            log.atWarn().setCause(e).log("Could not prune old versions of {}", slug);
        }
    }

    private static boolean staging(Path folder) {
        return folder.getFileName().toString().startsWith(STAGING);
    }

    /** A staging folder untouched for a day was left by a copy that never ended (a crash). */
    private static boolean abandoned(Path folder) {
        try {
            return Files.getLastModifiedTime(folder)
                    .toInstant()
                    .isBefore(Instant.now().minus(Duration.ofDays(1)));
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes every version of an app. */
    public void deleteApp(String domain, AppKind kind, String slug) {
        delete(appFolder(domain, kind, slug));
    }

    /**
     * Copies a build into a new version folder. The copy goes to a hidden staging folder first,
     * renamed once complete, so that another update pruning old versions meanwhile never takes a
     * half-copied one.
     */
    public Path store(String domain, AppKind kind, String slug, String version, BuildFolder build) {
        String name =
                version.replaceAll("[^0-9A-Za-z._-]", "_") + "-" + Ids.newId().substring(0, 8);
        Path target = appFolder(domain, kind, slug).resolve(name);
        Path staging = target.resolveSibling(STAGING + name);
        try {
            Files.createDirectories(staging);
            copyTree(build.root().toRealPath(), staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            delete(staging);
            delete(target);
            throw new UncheckedIOException("cannot store app files in " + target, e);
        } catch (RuntimeException e) {
            delete(staging);
            delete(target);
            throw e;
        }
    }

    public void delete(Path folder) {
        if (folder != null && folder.startsWith(root)) {
            FileTrees.deleteQuietly(folder);
        }
    }

    @EventListener
    void onInstanceDeleted(InstanceService.InstanceDeleted deleted) {
        delete(root.resolve(deleted.domain()));
    }

    private void copyTree(Path source, Path target) throws IOException {
        long[] totals = new long[2];
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path real = file.toRealPath();
                if (!real.startsWith(source)) {
                    throw Problem.invalid("source", source.relativize(file) + " links outside the app");
                }
                if (!Files.isRegularFile(real)) {
                    return FileVisitResult.CONTINUE;
                }
                totals[0]++;
                totals[1] += Files.size(real);
                if (totals[0] > maxFiles || totals[1] > maxBytes) {
                    throw Problem.tooLarge(
                            "source", "The app exceeds " + maxFiles + " files or " + maxBytes + " bytes");
                }
                Files.copy(
                        real, target.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
