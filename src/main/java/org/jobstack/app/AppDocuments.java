package org.jobstack.app;

import java.util.Map;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.web.JsonApi.Resource;
import org.jobstack.web.Times;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Apps as the stack shows them: the manifest, unknown fields kept, overlaid with the stack's fields (§3.4). */
@Component
public class AppDocuments {

    private final JsonMapper json;

    public AppDocuments(JsonMapper json) {
        this.json = json;
    }

    public Resource resource(App app) {
        AppKind kind = app.kind();
        return new Resource(
                kind.doctype(),
                kind.docId(app.slug()),
                attributes(app),
                Map.of(),
                Map.of("self", kind.route() + "/" + app.slug()));
    }

    public ObjectNode attributes(App app) {
        ObjectNode attributes = (ObjectNode) json.readTree(app.manifest());
        attributes.put("_id", app.kind().docId(app.slug()));
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
        app.services()
                .forEach((name, s) -> services.putObject(name)
                        .put("type", s.type())
                        .put("file", s.file())
                        .put("trigger", s.trigger())
                        .put("debounce", s.debounce())
                        .put("trigger_id", s.triggerId()));
        return attributes;
    }
}
