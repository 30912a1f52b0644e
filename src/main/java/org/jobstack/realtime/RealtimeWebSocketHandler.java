package org.jobstack.realtime;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jobstack.config.JobstackProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/** The {@code /realtime/} websocket: one {@link RealtimeConnection} per client, fed by the {@link RealtimeHub}. */
@Component
class RealtimeWebSocketHandler extends TextWebSocketHandler implements SubProtocolCapable {

    static final String PROTOCOL = "io.cozy.websocket";
    static final String DOMAIN = "jobstack.realtime.domain";
    private static final String CONNECTION = "jobstack.realtime.connection";
    /** How long Tomcat may block on a close frame or a ping to a client that does not read. */
    private static final long BLOCKING_SEND_MILLIS = 1000;

    private static final Logger log = LoggerFactory.getLogger(RealtimeWebSocketHandler.class);

    private final RealtimeHub hub;
    private final RealtimeCommands commands;
    private final JobstackProperties.Realtime settings;
    private final Executor closer;
    private final Clock clock;

    RealtimeWebSocketHandler(
            RealtimeHub hub,
            RealtimeCommands commands,
            JobstackProperties properties,
            RealtimeCloser closer,
            Clock clock) {
        this.hub = hub;
        this.commands = commands;
        this.settings = properties.realtime();
        this.closer = closer;
        this.clock = clock;
    }

    @Override
    public List<String> getSubProtocols() {
        return List.of(PROTOCOL);
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Session socket = ((NativeWebSocketSession) session).getNativeSession(Session.class);
        socket.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", BLOCKING_SEND_MILLIS);
        Outbox outbox = new Outbox(new SocketTransport(socket, closer), settings.maxBufferedChars());
        RealtimeConnection connection =
                new RealtimeConnection((String) session.getAttributes().get(DOMAIN), outbox, clock.instant());
        session.getAttributes().put(CONNECTION, connection);
        hub.add(connection);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        RealtimeConnection connection =
                (RealtimeConnection) session.getAttributes().get(CONNECTION);
        connection.heard(clock.instant());
        commands.handle(connection, message.getPayload());
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        RealtimeConnection connection =
                (RealtimeConnection) session.getAttributes().get(CONNECTION);
        if (connection != null) {
            connection.heard(clock.instant());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        RealtimeConnection connection =
                (RealtimeConnection) session.getAttributes().get(CONNECTION);
        if (connection != null) {
            connection.outbox().close();
            hub.remove(connection);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.atDebug().setCause(exception).log("Realtime connection failed");
    }

    /** Sends through Tomcat's asynchronous remote; closes on another thread, since a close frame may block. */
    private record SocketTransport(Session socket, Executor closer) implements Outbox.Transport {

        @Override
        public void send(String message, Consumer<Throwable> done) {
            try {
                socket.getAsyncRemote()
                        .sendText(message, result -> done.accept(result.isOK() ? null : result.getException()));
            } catch (RuntimeException e) {
                done.accept(e);
            }
        }

        @Override
        public void ping() throws IOException {
            socket.getBasicRemote().sendPing(ByteBuffer.allocate(0));
        }

        @Override
        public void abort(String reason) {
            closer.execute(() -> {
                try {
                    socket.close(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, truncate(reason)));
                } catch (IOException | RuntimeException e) {
                    log.atDebug().setCause(e).log("Closing a realtime connection");
                }
            });
        }

        /** A close reason fits in 123 bytes. */
        private static String truncate(String reason) {
            return reason.length() <= 100 ? reason : reason.substring(0, 100);
        }
    }
}
