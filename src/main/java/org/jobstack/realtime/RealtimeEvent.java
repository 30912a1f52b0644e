package org.jobstack.realtime;

import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A document event of an instance, as realtime clients receive it: {@code CREATED}, {@code
 * UPDATED}, {@code DELETED} or {@code NOTIFIED}, the document, and the fields that permission
 * rules with a selector look at (a job's worker and state, an app's slug and state).
 */
public record RealtimeEvent(
        String domain, String verb, String doctype, String id, ObjectNode doc, Map<String, String> fields) {

    public RealtimeEvent {
        fields = Map.copyOf(fields);
    }
}
