package org.jobstack.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** A websocket client of {@code /realtime/} for tests: every message it receives waits in a queue. */
public final class RealtimeSocket implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket socket;
    private final BlockingQueue<String> received;
    private final CompletableFuture<Integer> closed;

    private RealtimeSocket(WebSocket socket, BlockingQueue<String> received, CompletableFuture<Integer> closed) {
        this.socket = socket;
        this.received = received;
        this.closed = closed;
    }

    /** Connects to instance {@code domain} of the server on {@code port}; {@code reading} false: reads nothing. */
    public static RealtimeSocket open(int port, String domain, boolean reading) {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public void onOpen(WebSocket webSocket) {
                if (reading) {
                    webSocket.request(1);
                }
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    received.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        };
        WebSocket socket = HTTP.newWebSocketBuilder()
                .header("Host", domain)
                .subprotocols("io.cozy.websocket")
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/realtime/"), listener)
                .join();
        return new RealtimeSocket(socket, received, closed);
    }

    public static RealtimeSocket open(int port, String domain) {
        return open(port, domain, true);
    }

    public RealtimeSocket send(String json) {
        socket.sendText(json, true).join();
        return this;
    }

    public RealtimeSocket auth(String token) {
        return send("{\"method\":\"AUTH\",\"payload\":\"" + token + "\"}");
    }

    public RealtimeSocket subscribe(String type) {
        return send("{\"method\":\"SUBSCRIBE\",\"payload\":{\"type\":\"" + type + "\"}}");
    }

    public RealtimeSocket subscribe(String type, String id) {
        return send("{\"method\":\"SUBSCRIBE\",\"payload\":{\"type\":\"" + type + "\",\"id\":\"" + id + "\"}}");
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** The next message, or null when none came within {@code timeout}. */
    public JsonNode next(Duration timeout) throws InterruptedException {
        String message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return message == null ? null : Api.JSON.readTree(message);
    }

    /** Lets a client that did not read start reading. */
    public void startReading() {
        socket.request(1);
    }

    /** The close code the server sent, once it closed (-1 for an abrupt end). */
    public CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
