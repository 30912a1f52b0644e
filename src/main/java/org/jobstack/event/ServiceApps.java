package org.jobstack.event;

import java.util.Optional;
import org.jobstack.app.App;
import org.jobstack.app.AppCatalog;
import org.jobstack.app.AppState;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.trigger.Trigger;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The app a {@code service} or {@code konnector} trigger runs, looked up as a run does: a job of an
 * app that is not installed fails, one of an app that is not ready is retried.
 */
@Component
class ServiceApps {

    private final AppCatalog apps;
    private final JsonMapper json;

    ServiceApps(AppCatalog apps, JsonMapper json) {
        this.apps = apps;
        this.json = json;
    }

    /** What keeps the trigger's job from running its app; empty for other workers or a ready app. */
    Optional<String> problem(Trigger trigger) {
        AppKind kind = switch (trigger.worker()) {
            case "service" -> AppKind.WEBAPP;
            case "konnector" -> AppKind.KONNECTOR;
            default -> null;
        };
        if (kind == null) {
            return Optional.empty();
        }
        String slug = slug(trigger.message(), kind);
        if (slug == null) {
            return Optional.of("its message names no app: its job will fail");
        }
        Optional<App> app = apps.find(trigger.domain(), kind, slug);
        if (app.isEmpty()) {
            return Optional.of(kind.value() + " " + slug + " is not installed: its job will fail");
        }
        if (app.get().state() != AppState.READY) {
            return Optional.of(
                    kind.value() + " " + slug + " is " + app.get().state().value()
                            + (app.get().error() == null ? "" : " (" + app.get().error() + ")")
                            + ", not ready: its job will be retried");
        }
        return Optional.empty();
    }

    /** {@code {"slug":…}} (or the legacy {@code {"message":{"slug":…}}}) for services, {@code {"konnector":…}}. */
    private String slug(String message, AppKind kind) {
        if (message == null) {
            return null;
        }
        try {
            JsonNode node = json.readTree(message);
            String field = kind == AppKind.KONNECTOR ? "konnector" : "slug";
            JsonNode value = node.path(field).isString()
                    ? node.path(field)
                    : node.path("message").path(field);
            return value.isString() ? value.asString() : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }
}
