package org.jobstack.web;

import org.jobstack.common.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads {@code {"data":{"attributes":{…}}}} request bodies, naming what is missing or mistyped. */
public final class JsonApiBody {

    private JsonApiBody() {}

    public static ObjectNode attributes(JsonNode body) {
        JsonNode attributes = body == null ? null : body.path("data").path("attributes");
        if (attributes == null || !attributes.isObject()) {
            throw Problem.malformed("/data/attributes", "Expected a JSON:API document {\"data\":{\"attributes\":{…}}}");
        }
        return (ObjectNode) attributes;
    }

    /** An optional string attribute; null when absent or null. */
    public static String string(ObjectNode attributes, String name) {
        JsonNode value = attributes.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw Problem.malformed(name, name + " must be a string");
        }
        return value.asString();
    }

    /** An optional JSON attribute as JSON text; null when absent or null. */
    public static String json(ObjectNode attributes, String name) {
        JsonNode value = attributes.get(name);
        return value == null || value.isNull() ? null : value.toString();
    }
}
