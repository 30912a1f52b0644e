package org.jobstack.exec;

import java.util.Locale;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stdout line of a service as cozy-logger writes it: {@code {"type","message","no_retry"?}}.
 * Lines that are not such JSON are kept as they are, with level {@code raw}.
 */
public record CozyLogLine(String level, String message, boolean noRetry, boolean parsed) {

    static final Set<String> LEVELS = Set.of("debug", "info", "warning", "warn", "error", "critical");

    public static CozyLogLine parse(String line, JsonMapper json, int messageLimit) {
        String trimmed = line.strip();
        if (trimmed.startsWith("{") && trimmed.endsWith("}")) {
            try {
                JsonNode node = json.readTree(trimmed);
                JsonNode type = node.get("type");
                JsonNode message = node.get("message");
                if (type != null && type.isString() && message != null) {
                    String text = message.isString() ? message.asString() : message.toString();
                    return new CozyLogLine(
                            type.asString().toLowerCase(Locale.ROOT),
                            cap(text, messageLimit),
                            node.path("no_retry").asBoolean(false),
                            true);
                }
            } catch (JacksonException notJson) {
                // kept as raw text below
            }
        }
        return new CozyLogLine("raw", cap(line, messageLimit), false, false);
    }

    private static String cap(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit) + " [… truncated]";
    }
}
