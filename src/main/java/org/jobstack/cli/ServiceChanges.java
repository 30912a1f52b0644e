package org.jobstack.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** What an update changed in an app's services: added, removed, and changed triggers or files. */
final class ServiceChanges {

    private ServiceChanges() {}

    /** One line per change; {@code before} is null for a first install. */
    static List<String> between(JsonNode before, JsonNode after) {
        Map<String, String> old = describe(before);
        Map<String, String> now = describe(after);
        List<String> lines = new ArrayList<>();
        now.forEach((name, what) -> {
            if (!old.containsKey(name)) {
                lines.add("+ service " + name + ": " + what);
            } else if (!old.get(name).equals(what)) {
                lines.add("~ service " + name + ": " + old.get(name) + " -> " + what);
            }
        });
        old.keySet().stream().filter(name -> !now.containsKey(name)).forEach(name -> lines.add("- service " + name));
        return lines;
    }

    private static Map<String, String> describe(JsonNode app) {
        Map<String, String> services = new TreeMap<>();
        if (app == null) {
            return services;
        }
        for (Map.Entry<String, JsonNode> s :
                app.path("data").path("attributes").path("services").properties()) {
            JsonNode service = s.getValue();
            String trigger = service.path("trigger").asString("");
            String debounce = service.path("debounce").asString("");
            services.put(
                    s.getKey(),
                    (trigger.isEmpty() ? "no trigger" : trigger) + (debounce.isEmpty() ? "" : " debounce " + debounce)
                            + " (" + service.path("file").asString("") + ")");
        }
        return services;
    }
}
