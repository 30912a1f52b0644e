package org.jobstack.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection written by hand, for latency measures: the whole request
 * leaves in one write on the calling thread, and {@link Response#sent()} is the clock read just
 * before that write. The JDK's {@code HttpClient} hands a request to a selector thread of its own
 * before it is written, which on an idle machine costs about as much as the server's handling of a
 * health check (see docs/benchmarks.md).
 */
final class RawHttp implements AutoCloseable {

    record Response(int status, String body, Instant sent) {}

    /** Tomcat closes a keep-alive connection idle for its connection timeout (5 s here): reopen before. */
    private static final long REOPEN_AFTER_IDLE_NANOS = 2_000_000_000L;

    private final int port;
    private final String authorization;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private long lastUse;

    RawHttp(int port, String authorization) {
        this.port = port;
        this.authorization = authorization;
    }

    Response send(String method, String path, String jsonBody) throws IOException {
        if (socket == null || System.nanoTime() - lastUse > REOPEN_AFTER_IDLE_NANOS) {
            open();
        }
        byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: "
                + authorization + "\r\n"
                + (jsonBody == null ? "" : "Content-Type: application/json\r\n") + "Content-Length: " + body.length
                + "\r\n\r\n";
        byte[] request = new byte[head.length() + body.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, request, 0, head.length());
        System.arraycopy(body, 0, request, head.length(), body.length);
        Instant sent = Instant.now();
        out.write(request);
        out.flush();
        Response response = read(sent);
        lastUse = System.nanoTime();
        return response;
    }

    private Response read(Instant sent) throws IOException {
        String status = line();
        int length = 0;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String h = header.toLowerCase(Locale.ROOT);
            if (h.startsWith("content-length:")) {
                length = Integer.parseInt(h.substring(15).strip());
            } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                chunked = true;
            } else if (h.startsWith("connection:") && h.contains("close")) {
                close = true;
            }
        }
        StringBuilder body = new StringBuilder();
        if (chunked) {
            for (int size = Integer.parseInt(line().strip(), 16);
                    size > 0;
                    size = Integer.parseInt(line().strip(), 16)) {
                body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                line();
            }
            line();
        } else {
            body.append(new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
        if (close) {
            close();
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), body.toString(), sent);
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private void open() throws IOException {
        close();
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
