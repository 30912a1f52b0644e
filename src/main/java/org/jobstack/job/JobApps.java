package org.jobstack.job;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The app a job runs for, kept in the job's {@code app} column so that the dashboard's app filter
 * reads an index: the {@code slug} of a {@code service} job's message, the {@code konnector} of a
 * {@code konnector} job's; none for the other workers.
 */
final class JobApps {

    static final int MAX_LENGTH = 255;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JobApps() {}

    static String of(String worker, String message) {
        String field = switch (worker) {
            case "service" -> "slug";
            case "konnector" -> "konnector";
            default -> null;
        };
        if (field == null || message == null || message.isBlank()) {
            return null;
        }
        try {
            JsonNode value = JSON.readTree(message).path(field);
            String app = value.isString() ? value.asString() : null;
            return app == null || app.isEmpty() || app.length() > MAX_LENGTH ? null : app;
        } catch (JacksonException unreadable) {
            return null;
        }
    }
}
