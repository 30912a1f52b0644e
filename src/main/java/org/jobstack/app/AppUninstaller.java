package org.jobstack.app;

import org.jobstack.app.manifest.AppKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Uninstalls an app: its document and triggers in one transaction, then every version of its files. */
@Service
public class AppUninstaller {

    private static final Logger log = LoggerFactory.getLogger(AppUninstaller.class);

    private final AppCatalog catalog;
    private final AppRegistrar registrar;
    private final AppStorage storage;

    AppUninstaller(AppCatalog catalog, AppRegistrar registrar, AppStorage storage) {
        this.catalog = catalog;
        this.registrar = registrar;
        this.storage = storage;
    }

    public App uninstall(String domain, AppKind kind, String slug) {
        App app = registrar.remove(catalog.get(domain, kind, slug).getId());
        storage.deleteApp(domain, kind, slug);
        log.atInfo().addKeyValue("domain", domain).addKeyValue("slug", slug).log("Uninstalled {}", slug);
        return app;
    }
}
