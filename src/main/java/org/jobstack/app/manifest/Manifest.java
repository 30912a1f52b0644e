package org.jobstack.app.manifest;

import java.util.List;
import java.util.Map;
import org.jobstack.permission.Rule;
import tools.jackson.databind.node.ObjectNode;

/** A validated manifest: what Jobstack reads from it, plus the whole JSON (unknown fields kept). */
public record Manifest(
        String slug,
        String version,
        String name,
        Map<String, Rule> permissions,
        Map<String, ServiceDeclaration> services,
        ObjectNode json) {

    public List<Rule> permissionRules() {
        return List.copyOf(permissions.values());
    }
}
