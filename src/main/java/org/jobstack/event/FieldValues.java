package org.jobstack.event;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The values a selector picks in a document, as strings: a top-level field, each element of an
 * array, {@code referenced_by} as {@code <type>/<id>} (and the bare id). Numbers are written
 * plainly ({@code 1000000}, {@code 1.5}), not in Go's {@code 1e+06} form.
 */
final class FieldValues {

    /** What a missing or null field reads as, so that two missing fields compare equal. */
    static final String MISSING = "<nil>";

    private FieldValues() {}

    public static List<String> fetch(JsonNode doc, String selector) {
        JsonNode value = doc == null ? null : doc.get(selector);
        if (value == null || value.isNull()) {
            return List.of(MISSING);
        }
        if (selector.equals("referenced_by") && value.isArray()) {
            List<String> refs = new ArrayList<>();
            for (JsonNode ref : value) {
                String type = ref.path("type").asString("");
                String id = ref.path("id").asString("");
                refs.add(type + "/" + id);
                refs.add(id);
            }
            return refs;
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>(value.size());
            value.forEach(item -> items.add(render(item)));
            return items;
        }
        return List.of(render(value));
    }

    static String render(JsonNode value) {
        if (value.isString()) {
            return value.asString();
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue().stripTrailingZeros();
            return number.scale() < 0 ? number.setScale(0).toPlainString() : number.toPlainString();
        }
        if (value.isNull()) {
            return MISSING;
        }
        return value.toString();
    }
}
