package org.jobstack.app;

import org.jobstack.app.manifest.AppKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Uninstalls an app: its document, triggers and stored versions in one transaction, then this
 * node's unpacked copies.
 */
@Service
public class AppUninstaller {

    private static final Logger log = LoggerFactory.getLogger(AppUninstaller.class);

    private final AppCatalog catalog;
    private final AppRegistrar registrar;
    private final AppFiles files;

    AppUninstaller(AppCatalog catalog, AppRegistrar registrar, AppFiles files) {
        this.catalog = catalog;
        this.registrar = registrar;
        this.files = files;
    }

    public App uninstall(String domain, AppKind kind, String slug) {
        App app = registrar.remove(catalog.get(domain, kind, slug).getId());
        files.prune();
        log.atInfo().addKeyValue("domain", domain).addKeyValue("slug", slug).log("Uninstalled {}", slug);
        return app;
    }
}
