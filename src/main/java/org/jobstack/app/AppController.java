package org.jobstack.app;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.auth.Caller;
import org.jobstack.common.Problem;
import org.jobstack.web.JsonApi;
import org.jobstack.web.JsonApi.Document;
import org.jobstack.web.JsonApi.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /apps} and {@code /konnectors}: install, update, uninstall, show and list, in the stack's
 * JSON:API shapes; install and update stream their progress when asked for {@code text/event-stream}.
 */
@RestController
class AppController {

    private final AppInstaller installer;
    private final AppUpdater updater;
    private final AppUninstaller uninstaller;
    private final AppCatalog catalog;
    private final AppDocuments documents;
    private final JsonMapper json;

    AppController(
            AppInstaller installer,
            AppUpdater updater,
            AppUninstaller uninstaller,
            AppCatalog catalog,
            AppDocuments documents,
            JsonMapper json) {
        this.installer = installer;
        this.updater = updater;
        this.uninstaller = uninstaller;
        this.catalog = catalog;
        this.documents = documents;
        this.json = json;
    }

    @PostMapping({"/apps/{slug}", "/konnectors/{slug}"})
    ResponseEntity<?> install(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String slug,
            @RequestParam(name = "Source", required = false) String source,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        AppKind kind = allowed(caller, "POST", request);
        if (wantsStream(request)) {
            installer.checkInstallable(caller.domain(), kind, slug);
            AppEventStream.run(
                    response, p -> installer.install(caller.domain(), kind, slug, source, p), documents, json);
            return null;
        }
        return JsonApi.single(202, documents.resource(installer.install(caller.domain(), kind, slug, source)));
    }

    @PutMapping({"/apps/{slug}", "/konnectors/{slug}"})
    ResponseEntity<?> update(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String slug,
            @RequestParam(name = "Source", required = false) String source,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        AppKind kind = allowed(caller, "POST", request);
        updater.current(caller.domain(), kind, AppInstaller.validSlug(slug));
        if (wantsStream(request)) {
            AppEventStream.run(response, p -> updater.update(caller.domain(), kind, slug, source, p), documents, json);
            return null;
        }
        return JsonApi.single(
                202, documents.resource(updater.update(caller.domain(), kind, slug, source, AppProgress.NONE)));
    }

    @DeleteMapping({"/apps/{slug}", "/konnectors/{slug}"})
    ResponseEntity<Document> uninstall(
            @AuthenticationPrincipal Caller caller, @PathVariable String slug, HttpServletRequest request) {
        AppKind kind = allowed(caller, "DELETE", request);
        App app = uninstaller.uninstall(caller.domain(), kind, AppInstaller.validSlug(slug));
        return JsonApi.single(200, documents.resource(app));
    }

    @GetMapping({"/apps/{slug}", "/konnectors/{slug}"})
    ResponseEntity<Document> show(
            @AuthenticationPrincipal Caller caller, @PathVariable String slug, HttpServletRequest request) {
        AppKind kind = kind(request);
        App app = catalog.get(caller.domain(), kind, slug);
        caller.require(
                "GET",
                kind.doctype(),
                kind.docId(slug),
                Map.of("slug", slug, "state", app.state().value()));
        return JsonApi.single(200, documents.resource(app));
    }

    @GetMapping({"/apps", "/apps/", "/konnectors", "/konnectors/"})
    ResponseEntity<Document> list(
            @AuthenticationPrincipal Caller caller,
            HttpServletRequest request,
            @RequestParam(name = "limit", defaultValue = "100") int limit,
            @RequestParam(name = "start_key", required = false) String startKey) {
        AppKind kind = allowed(caller, "GET", request);
        if (limit < 1 || limit > 1000) {
            throw Problem.invalid("limit", "limit must be between 1 and 1000");
        }
        String fromSlug = startKey == null ? "" : startKey.substring(startKey.lastIndexOf('/') + 1);
        List<App> page = catalog.page(caller.domain(), kind, fromSlug, limit + 1);
        List<Resource> data = new ArrayList<>();
        page.stream().limit(limit).forEach(app -> data.add(documents.resource(app)));
        Map<String, String> links = page.size() > limit
                ? Map.of(
                        "next",
                        kind.route() + "/?limit=" + limit + "&start_key="
                                + kind.docId(page.get(limit).slug()))
                : null;
        return JsonApi.list(data, links);
    }

    /** Asked for the stack's SSE progress stream ({@code Accept: text/event-stream}). */
    private static boolean wantsStream(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE);
    }

    private static AppKind allowed(Caller caller, String verb, HttpServletRequest request) {
        AppKind kind = kind(request);
        caller.requireWholeType(verb, kind.doctype());
        return kind;
    }

    private static AppKind kind(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/konnectors") ? AppKind.KONNECTOR : AppKind.WEBAPP;
    }
}
