package org.jobstack.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.app.source.BuildFolder;
import org.jobstack.common.FileTrees;
import org.jobstack.config.DataDirectory;
import org.jobstack.config.JobstackProperties;
import org.jobstack.config.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Installed versions of apps in the database. A build is packed (within the app limits, links out
 * of the app refused) into a temporary archive, then written as a staged version that no update
 * pruning meanwhile takes; registering the app makes it installed. Only the current and previous
 * version of an app are kept.
 */
@Component
public class AppVersions {

    /** A staged version this old was left by an install or update that never ended (a crash). */
    static final Duration ABANDONED = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(AppVersions.class);

    private final AppVersionStore store;
    private final AppRepository apps;
    private final TransactionTemplate transaction;
    private final VersionArchive archives;
    private final Path incoming;
    private final Clock clock;

    AppVersions(
            AppVersionStore store,
            AppRepository apps,
            PlatformTransactionManager transactions,
            DataDirectory data,
            JobstackProperties properties,
            Clock clock) {
        this.store = store;
        this.apps = apps;
        this.transaction = new TransactionTemplate(transactions);
        this.archives = new VersionArchive(
                properties.limits().appBytes().toBytes(), properties.limits().appFiles());
        this.incoming = data.resolve("incoming");
        this.clock = clock;
    }

    /** Packs a build and writes it as a staged version of the app. */
    public StoredVersion store(String domain, AppKind kind, String slug, String version, BuildFolder build) {
        Path archive = null;
        try {
            archive = Files.createTempFile(PrivateFiles.createFolder(incoming), "version-", ".tar.gz");
            VersionArchive.Packed packed = archives.pack(build.root(), archive);
            return store.insert(
                    new AppVersionStore.NewVersion(
                            domain,
                            kind,
                            slug,
                            version,
                            packed.hash(),
                            packed.bytes(),
                            packed.fileBytes(),
                            packed.fileCount()),
                    archive,
                    clock.instant());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the files of " + slug + " " + version, e);
        } finally {
            FileTrees.deleteQuietly(archive);
        }
    }

    /** Deletes a version no app points at (an install or update that failed after storing it). */
    public void discard(StoredVersion version) {
        try {
            store.delete(version.id());
        } catch (DataAccessException e) {
            log.atWarn().setCause(e).log("Could not delete version {} of {}", version.id(), version.slug());
        }
    }

    /**
     * Deletes the versions of an app other than its current and previous one, leaving alone the
     * versions other updates are still writing. The app row is locked meanwhile, as an update
     * locks it to switch versions: the deletion sees either the versions before an update or
     * after it, never a version made current but not yet seen so. A failure is logged: the next
     * update prunes again.
     */
    public void pruneReplaced(App app) {
        try {
            transaction.executeWithoutResult(status -> {
                apps.findLockedById(app.getId());
                store.deleteReplaced(
                        app.domain(), app.kind(), app.slug(), clock.instant().minus(ABANDONED));
            });
        } catch (DataAccessException | TransactionException e) {
            log.atWarn().setCause(e).log("Could not prune old versions of {}", app.slug());
        }
    }

    /** Deletes the staged versions of every app left by a crash, at start and every hour. */
    @Scheduled(fixedDelay = 1, timeUnit = TimeUnit.HOURS)
    void deleteAbandoned() {
        try {
            int deleted = store.deleteAbandoned(clock.instant().minus(ABANDONED));
            if (deleted > 0) {
                log.atInfo().log("Deleted {} app versions abandoned by an install or update that never ended", deleted);
            }
        } catch (DataAccessException e) {
            log.atWarn().setCause(e).log("Could not delete abandoned app versions");
        }
    }
}
