package org.jobstack.event;

import tools.jackson.databind.node.ObjectNode;

/**
 * A document change as the stack reports it: {@code verb} is CREATED, UPDATED, DELETED (or
 * NOTIFIED, which never fires triggers); {@code old} is the previous version, when known.
 */
public record DocumentEvent(String verb, String doctype, ObjectNode doc, ObjectNode old) {

    public String docId() {
        return doc.path("_id").asString("");
    }
}
