package org.jobstack.exec;

import org.jobstack.job.JobFailure;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The message of a {@code service} job: {@code {"slug","name","fields"?,"service_file"?}}, or the
 * legacy {@code {"message":{…}}} wrapper. {@code fields} is kept as JSON text ("" when absent).
 */
record ServiceMessage(String slug, String name, String serviceFile, String fields) {

    static ServiceMessage parse(String message, JsonMapper json) throws JobFailure {
        JsonNode node;
        try {
            node = message == null ? null : json.readTree(message);
        } catch (JacksonException e) {
            throw JobFailure.permanent("The service job message is not JSON");
        }
        if (node != null && node.has("message") && node.get("message").isObject() && !node.has("slug")) {
            node = node.get("message");
        }
        if (node == null || !node.isObject() || !node.path("slug").isString()) {
            throw JobFailure.permanent("The service job message needs a slug: {\"slug\":\"…\",\"name\":\"…\"}");
        }
        JsonNode fields = node.get("fields");
        return new ServiceMessage(
                node.path("slug").asString(),
                node.path("name").asString(""),
                node.path("service_file").asString(""),
                fields == null || fields.isNull() ? "" : fields.toString());
    }
}
