package org.jobstack.realtime;

import org.jobstack.auth.Caller;
import org.jobstack.auth.InvalidTokenException;
import org.jobstack.auth.TokenCallers;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a client's commands do: {@code AUTH} first (anything else, or a bad token, gets the
 * protocol's error and the connection closed), then {@code SUBSCRIBE} and {@code UNSUBSCRIBE},
 * each checked against the token's permissions (a refusal is an error message; the connection
 * stays open).
 */
@Component
class RealtimeCommands {

    private final RealtimeMessages messages;
    private final TokenCallers callers;
    private final JsonMapper json;
    private final int maxSubscriptions;

    RealtimeCommands(RealtimeMessages messages, TokenCallers callers, JsonMapper json, JobstackProperties properties) {
        this.messages = messages;
        this.callers = callers;
        this.json = json;
        this.maxSubscriptions = properties.realtime().maxSubscriptions();
    }

    void handle(RealtimeConnection connection, String text) {
        RealtimeMessages.Command command;
        try {
            command = messages.read(text);
        } catch (RealtimeMessages.BadCommand bad) {
            if (connection.caller() == null) {
                connection.outbox().offerLast(messages.error(bad), "AUTH expected");
            } else {
                connection.outbox().offer(messages.error(bad));
            }
            return;
        }
        if (connection.caller() == null) {
            authenticate(connection, command);
        } else if (command.method().equals("AUTH")) {
            connection
                    .outbox()
                    .offer(messages.error(
                            "405 Method Not Allowed",
                            "method not allowed",
                            "The AUTH method is only the first command",
                            authSource()));
        } else {
            subscription(connection, command);
        }
    }

    private void authenticate(RealtimeConnection connection, RealtimeMessages.Command command) {
        if (!command.method().equals("AUTH")) {
            connection
                    .outbox()
                    .offerLast(
                            messages.error(
                                    "405 Method Not Allowed",
                                    "method not allowed",
                                    "The " + command.method() + " method is not supported before AUTH",
                                    command.source()),
                            "AUTH expected");
            return;
        }
        try {
            if (command.token().isBlank()) {
                throw new InvalidTokenException("no token");
            }
            connection.authenticated(
                    callers.of(connection.domain(), command.token().strip()));
        } catch (InvalidTokenException | Problem e) {
            // The token is not echoed back: source names the method only
            connection.outbox().offerLast(unauthorized(), "The authentication has failed");
        }
    }

    String unauthorized() {
        return messages.error("401 Unauthorized", "unauthorized", "The authentication has failed", authSource());
    }

    private ObjectNode authSource() {
        ObjectNode source = json.createObjectNode();
        source.put("method", "AUTH");
        return source;
    }

    private void subscription(RealtimeConnection connection, RealtimeMessages.Command command) {
        if (command.method().equals("UNSUBSCRIBE")) {
            connection.unsubscribe(command.type(), command.id());
            return;
        }
        Caller caller = connection.caller();
        if (!caller.permissions().allowsSome("GET", command.type(), command.id())) {
            connection
                    .outbox()
                    .offer(messages.error(
                            "403 Forbidden",
                            "forbidden",
                            "The application can't subscribe to " + command.type(),
                            command.source()));
        } else if (connection.subscriptionCount() >= maxSubscriptions) {
            connection
                    .outbox()
                    .offer(messages.error(
                            "429 Too Many Requests",
                            "too many subscriptions",
                            "A connection holds at most " + maxSubscriptions + " subscriptions",
                            command.source()));
        } else {
            connection.subscribe(command.type(), command.id());
        }
    }
}
