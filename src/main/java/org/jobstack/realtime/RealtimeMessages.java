package org.jobstack.realtime;

import java.util.Locale;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The {@code io.cozy.websocket} protocol's messages: commands read from clients, events and errors written to them. */
@Component
class RealtimeMessages {

    /** A client's command: {@code AUTH} (with a token), {@code SUBSCRIBE} or {@code UNSUBSCRIBE} (with a type and maybe an id). */
    record Command(String method, String token, String type, String id, JsonNode source) {}

    /** A message that is not a command: the error to answer, its {@code source} being what was read. */
    static final class BadCommand extends Exception {
        final String status;
        final String code;
        final String title;
        final transient JsonNode source;

        BadCommand(String status, String code, String title, JsonNode source) {
            super(title, null, false, false);
            this.status = status;
            this.code = code;
            this.title = title;
            this.source = source;
        }
    }

    private final JsonMapper json;

    RealtimeMessages(JsonMapper json) {
        this.json = json;
    }

    Command read(String text) throws BadCommand {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JacksonException e) {
            throw new BadCommand("400 Bad Request", "bad request", "The message is not JSON", json.nullNode());
        }
        if (node == null || !node.isObject()) {
            throw new BadCommand("400 Bad Request", "bad request", "The message is not a JSON object", node);
        }
        JsonNode method = node.get("method");
        String name = method != null && method.isString() ? method.asString() : "";
        JsonNode payload = node.get("payload");
        switch (name.toUpperCase(Locale.ROOT)) {
            case "AUTH" -> {
                String token = payload != null && payload.isString() ? payload.asString() : "";
                return new Command("AUTH", token, null, null, node);
            }
            case "SUBSCRIBE", "UNSUBSCRIBE" -> {
                String type = text(payload, "type");
                if (type.isEmpty()) {
                    throw new BadCommand(
                            "404 Page Not Found",
                            "page not found",
                            "The type parameter is mandatory for " + name.toUpperCase(Locale.ROOT),
                            node);
                }
                String id = text(payload, "id");
                return new Command(name.toUpperCase(Locale.ROOT), null, type, id.isEmpty() ? null : id, node);
            }
            default ->
                throw new BadCommand(
                        "405 Method Not Allowed",
                        "method not allowed",
                        "The " + name + " method is not supported",
                        node);
        }
    }

    private static String text(JsonNode payload, String field) {
        if (payload == null || !payload.isObject()) {
            return "";
        }
        JsonNode value = payload.get(field);
        return value != null && value.isString() ? value.asString() : "";
    }

    String event(RealtimeEvent event) {
        ObjectNode message = json.createObjectNode();
        message.put("event", event.verb());
        ObjectNode payload = message.putObject("payload");
        payload.put("type", event.doctype());
        payload.put("id", event.id());
        payload.set("doc", event.doc());
        return json.writeValueAsString(message);
    }

    String error(BadCommand bad) {
        return error(bad.status, bad.code, bad.title, bad.source);
    }

    String error(String status, String code, String title, JsonNode source) {
        ObjectNode message = json.createObjectNode();
        message.put("event", "error");
        ObjectNode payload = message.putObject("payload");
        payload.put("status", status);
        payload.put("code", code);
        payload.put("title", title);
        payload.set("source", source);
        return json.writeValueAsString(message);
    }
}
