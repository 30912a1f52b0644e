package org.jobstack.app;

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

/** {@code /apps}: install, show and list webapps, in the stack's JSON:API shapes. */
@RestController
class AppController {

    private static final AppKind KIND = AppKind.WEBAPP;

    private final AppInstaller installer;
    private final AppCatalog catalog;
    private final AppDocuments documents;

    AppController(AppInstaller installer, AppCatalog catalog, AppDocuments documents) {
        this.installer = installer;
        this.catalog = catalog;
        this.documents = documents;
    }

    @PostMapping("/apps/{slug}")
    ResponseEntity<Document> install(@AuthenticationPrincipal Caller caller, @PathVariable String slug,
                                     @RequestParam(name = "Source", required = false) String source) {
        caller.requireWholeType("POST", KIND.doctype());
        return JsonApi.single(202, resource(installer.install(caller.domain(), KIND, slug, source)));
    }

    @GetMapping("/apps/{slug}")
    ResponseEntity<Document> show(@AuthenticationPrincipal Caller caller, @PathVariable String slug) {
        App app = catalog.get(caller.domain(), KIND, slug);
        caller.require("GET", KIND.doctype(), KIND.docId(slug), Map.of("slug", slug, "state", app.state().value()));
        return JsonApi.single(200, resource(app));
    }

    @GetMapping({"/apps", "/apps/"})
    ResponseEntity<Document> list(@AuthenticationPrincipal Caller caller,
                                  @RequestParam(name = "limit", defaultValue = "100") int limit,
                                  @RequestParam(name = "start_key", required = false) String startKey) {
        caller.requireWholeType("GET", KIND.doctype());
        if (limit < 1 || limit > 1000) {
            throw Problem.invalid(Problem.Source.parameter("limit"), "limit must be between 1 and 1000");
        }
        String fromSlug = startKey == null ? "" : startKey.substring(startKey.lastIndexOf('/') + 1);
        List<App> page = catalog.page(caller.domain(), KIND, fromSlug, limit + 1);
        List<Resource> data = new ArrayList<>();
        page.stream().limit(limit).forEach(app -> data.add(resource(app)));
        Map<String, String> links = page.size() > limit
                ? Map.of("next", "/apps/?limit=" + limit + "&start_key=" + KIND.docId(page.get(limit).slug())) : null;
        return JsonApi.list(data, links);
    }

    private Resource resource(App app) {
        return documents.resource(app);
    }
}
