package org.jobstack.app;

import java.util.List;
import java.util.Optional;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.common.Problem;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads installed apps. */
@Service
public class AppCatalog {

    private final AppRepository apps;

    public AppCatalog(AppRepository apps) {
        this.apps = apps;
    }

    @Transactional(readOnly = true)
    public Optional<App> find(String domain, AppKind kind, String slug) {
        return apps.findByDomainAndKindAndSlug(domain, kind.value(), slug);
    }

    @Transactional(readOnly = true)
    public App get(String domain, AppKind kind, String slug) {
        AppInstaller.validSlug(slug);
        return find(domain, kind, slug)
                .orElseThrow(() -> Problem.notFound("Application " + slug + " is not installed"));
    }

    /** Up to {@code limit} apps from slug {@code fromSlug} on, in slug order. */
    @Transactional(readOnly = true)
    public List<App> page(String domain, AppKind kind, String fromSlug, int limit) {
        return apps.findByDomainAndKindAndSlugGreaterThanEqualOrderBySlug(
                domain, kind.value(), fromSlug == null ? "" : fromSlug, Limit.of(limit));
    }

    /** Every app and konnector of an instance, by kind and slug. */
    @Transactional(readOnly = true)
    public List<App> all(String domain) {
        return apps.findByDomainOrderByKindAscSlugAsc(domain);
    }
}
