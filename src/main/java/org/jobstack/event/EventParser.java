package org.jobstack.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jobstack.common.Problem;
import org.jobstack.permission.InvalidRuleException;
import org.jobstack.permission.RuleParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads one event object or an array of them. Each refusal points at the field at fault
 * ({@code /2/doctype}); a batch is taken whole or not at all.
 */
final class EventParser {

    public static final Set<String> VERBS = Set.of("CREATED", "UPDATED", "DELETED", "NOTIFIED");

    private EventParser() {}

    public static List<DocumentEvent> parse(JsonNode body, int maxEvents) {
        if (body == null || !(body.isObject() || body.isArray())) {
            throw Problem.malformed("", "Expected an event object or an array of events");
        }
        if (body.isObject()) {
            return List.of(event(body, ""));
        }
        if (body.size() > maxEvents) {
            throw Problem.tooLarge("", "At most " + maxEvents + " events per request, got " + body.size());
        }
        List<DocumentEvent> events = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            events.add(event(body.get(i), String.valueOf(i)));
        }
        return events;
    }

    private static DocumentEvent event(JsonNode node, String at) {
        if (!node.isObject()) {
            throw Problem.malformed(at, "An event must be a JSON object");
        }
        String verb = text(node, "verb", at);
        if (!VERBS.contains(verb)) {
            throw Problem.invalid(Problem.path(at, "verb"), "verb must be one of CREATED, UPDATED, DELETED, NOTIFIED");
        }
        String doctype = text(node, "doctype", at);
        try {
            if (RuleParser.parse(doctype).wildcard() || doctype.contains(":")) {
                throw new InvalidRuleException("wildcard");
            }
        } catch (InvalidRuleException e) {
            throw Problem.invalid(Problem.path(at, "doctype"), "doctype must be a doctype name such as io.cozy.files");
        }
        ObjectNode doc = object(node, "doc", at, true);
        if (!doc.path("_id").isString() || doc.path("_id").asString().isEmpty()) {
            throw Problem.invalid(Problem.path(at, "doc", "_id"), "doc._id must be a non-empty string");
        }
        ObjectNode old = object(node, "old", at, false);
        return new DocumentEvent(verb, doctype, doc, old);
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.asString().isEmpty()) {
            throw Problem.malformed(Problem.path(at, field), field + " must be a non-empty string");
        }
        return value.asString();
    }

    private static ObjectNode object(JsonNode node, String field, String at, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw Problem.malformed(Problem.path(at, field), field + " is required");
            }
            return null;
        }
        if (!value.isObject()) {
            throw Problem.malformed(Problem.path(at, field), field + " must be a JSON object");
        }
        return (ObjectNode) value;
    }
}
