package org.jobstack.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobstack.auth.Caller;
import org.jobstack.common.Problem;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApi.Resource;
import org.jobstack.web.Times;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code /apps}: install, show and list webapps, in the stack's JSON:API shapes. */
@RestController
class AppController {

    private static final AppKind KIND = AppKind.WEBAPP;

    private final AppInstaller installer;
    private final AppCatalog catalog;
    private final JsonMapper json;

    AppController(AppInstaller installer, AppCatalog catalog, JsonMapper json) {
        this.installer = installer;
        this.catalog = catalog;
        this.json = json;
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
        ObjectNode attributes = (ObjectNode) json.readTree(app.manifest());
        attributes.put("slug", app.slug());
        attributes.put("source", app.source());
        attributes.put("state", app.state().value());
        attributes.put("version", app.version());
        attributes.put("created_at", Times.format(app.createdAt()));
        attributes.put("updated_at", Times.format(app.updatedAt()));
        if (app.error() != null) {
            attributes.put("error", app.error());
        }
        ObjectNode services = attributes.putObject("services");
        app.services().forEach((name, s) -> services.putObject(name)
                .put("type", s.type()).put("file", s.file()).put("trigger", s.trigger())
                .put("debounce", s.debounce()).put("trigger_id", s.triggerId()));
        return new Resource(KIND.doctype(), KIND.docId(app.slug()), attributes, Map.of(),
                Map.of("self", KIND.route() + "/" + app.slug()));
    }
}
