package org.jobstack.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jobstack.app.source.BuildFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The way up from single-node installs, whose apps' files were copied into a folder that their row
 * names ({@code app.storage}). At start, before any job runs, the files of each such app are stored
 * in the database as its current version and the folder is no longer used (it is left in place,
 * never written again). An app whose folder is gone, or cannot be stored, is marked errored with
 * why, and the node starts anyway; the next start tries again, and an update repairs it.
 */
@Component
class LegacyAppImport implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(LegacyAppImport.class);

    private final AppRepository apps;
    private final AppVersions versions;
    private final AppRegistrar registrar;

    LegacyAppImport(AppRepository apps, AppVersions versions, AppRegistrar registrar) {
        this.apps = apps;
        this.versions = versions;
        this.registrar = registrar;
    }

    @Override
    public void afterSingletonsInstantiated() {
        importAll();
    }

    /** Imports the files of every app that has only a legacy folder; how many were imported. */
    int importAll() {
        if (!apps.anyLegacyFolder()) {
            return 0;
        }
        List<App> legacy = apps.findByVersionIdIsNullAndStorageIsNotNull();
        int imported = 0;
        for (App app : legacy) {
            try {
                imported += importFiles(app) ? 1 : 0;
            } catch (RuntimeException e) {
                log.atError()
                        .setCause(e)
                        .addKeyValue("domain", app.domain())
                        .addKeyValue("slug", app.slug())
                        .log("Could not import the files of {} into the database", app.slug());
            }
        }
        if (!legacy.isEmpty()) {
            log.atInfo().log("Imported the files of {} of {} legacy apps into the database", imported, legacy.size());
        }
        return imported;
    }

    private boolean importFiles(App app) {
        Path folder = app.legacyStorage().orElseThrow();
        String what = app.slug() + " " + app.version();
        if (!Files.isDirectory(folder)) {
            return failed(
                    app,
                    "The files of " + what + " were in " + folder
                            + ", which is gone; update the app from its source to bring them back");
        }
        StoredVersion stored;
        try {
            stored = versions.store(app.domain(), app.kind(), app.slug(), app.version(), new BuildFolder(folder));
        } catch (RuntimeException e) {
            return failed(app, "The files of " + what + " in " + folder + " cannot be imported: " + e.getMessage());
        }
        boolean adopted;
        try {
            adopted = registrar.adopt(app.getId(), stored);
        } catch (RuntimeException e) {
            versions.discard(stored);
            throw e;
        }
        if (!adopted) {
            versions.discard(stored);
            return false;
        }
        log.atInfo()
                .addKeyValue("domain", app.domain())
                .addKeyValue("slug", app.slug())
                .addKeyValue("version", app.version())
                .addKeyValue("folder", folder.toString())
                .log("Imported the files of {} from {} into the database; that folder is no longer used", what, folder);
        return true;
    }

    private boolean failed(App app, String why) {
        log.atWarn()
                .addKeyValue("domain", app.domain())
                .addKeyValue("slug", app.slug())
                .log("{}; the app is marked errored", why);
        registrar.filesMissing(app.getId(), why);
        return false;
    }
}
