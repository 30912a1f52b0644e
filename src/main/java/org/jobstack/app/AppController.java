package org.jobstack.app;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobstack.auth.Caller;
import org.jobstack.common.Problem;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApi.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /apps} and {@code /konnectors}: install, show and list, in the stack's JSON:API shapes. */
@RestController
class AppController {

    private final AppInstaller installer;
    private final AppCatalog catalog;
    private final AppDocuments documents;

    AppController(AppInstaller installer, AppCatalog catalog, AppDocuments documents) {
        this.installer = installer;
        this.catalog = catalog;
        this.documents = documents;
    }

    @PostMapping({"/apps/{slug}", "/konnectors/{slug}"})
    ResponseEntity<Document> install(@AuthenticationPrincipal Caller caller, @PathVariable String slug,
                                     @RequestParam(name = "Source", required = false) String source,
                                     HttpServletRequest request) {
        AppKind kind = kind(request);
        caller.requireWholeType("POST", kind.doctype());
        return JsonApi.single(202, resource(installer.install(caller.domain(), kind, slug, source)));
    }

    @GetMapping({"/apps/{slug}", "/konnectors/{slug}"})
    ResponseEntity<Document> show(@AuthenticationPrincipal Caller caller, @PathVariable String slug,
                                  HttpServletRequest request) {
        AppKind kind = kind(request);
        App app = catalog.get(caller.domain(), kind, slug);
        caller.require("GET", kind.doctype(), kind.docId(slug), Map.of("slug", slug, "state", app.state().value()));
        return JsonApi.single(200, resource(app));
    }

    @GetMapping({"/apps", "/apps/", "/konnectors", "/konnectors/"})
    ResponseEntity<Document> list(@AuthenticationPrincipal Caller caller, HttpServletRequest request,
                                  @RequestParam(name = "limit", defaultValue = "100") int limit,
                                  @RequestParam(name = "start_key", required = false) String startKey) {
        AppKind kind = kind(request);
        caller.requireWholeType("GET", kind.doctype());
        if (limit < 1 || limit > 1000) {
            throw Problem.invalid(Problem.Source.parameter("limit"), "limit must be between 1 and 1000");
        }
        String fromSlug = startKey == null ? "" : startKey.substring(startKey.lastIndexOf('/') + 1);
        List<App> page = catalog.page(caller.domain(), kind, fromSlug, limit + 1);
        List<Resource> data = new ArrayList<>();
        page.stream().limit(limit).forEach(app -> data.add(resource(app)));
        Map<String, String> links = page.size() > limit
                ? Map.of("next", kind.route() + "/?limit=" + limit + "&start_key=" + kind.docId(page.get(limit).slug()))
                : null;
        return JsonApi.list(data, links);
    }

    private static AppKind kind(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/konnectors") ? AppKind.KONNECTOR : AppKind.WEBAPP;
    }

    private Resource resource(App app) {
        return documents.resource(app);
    }
}
