package org.jobstack.app;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.app.manifest.ManifestParser;
import org.jobstack.auth.AppPermissions;
import org.jobstack.auth.Audience;
import org.jobstack.permission.PermissionSet;
import org.springframework.stereotype.Component;

/** An app token's permissions are those of its installed app's manifest. */
@Component
class InstalledAppPermissions implements AppPermissions {

    private final AppCatalog catalog;
    private final ManifestParser manifests;

    InstalledAppPermissions(AppCatalog catalog, ManifestParser manifests) {
        this.catalog = catalog;
        this.manifests = manifests;
    }

    @Override
    public Optional<PermissionSet> of(String domain, Audience audience, String slug) {
        AppKind kind = audience == Audience.KONNECTOR ? AppKind.KONNECTOR : AppKind.WEBAPP;
        return catalog.find(domain, kind, slug)
                .map(app -> new PermissionSet(manifests
                        .parse(app.manifest().getBytes(StandardCharsets.UTF_8), kind, slug)
                        .permissionRules()));
    }
}
