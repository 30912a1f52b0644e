package org.jobstack.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.common.FileTrees;

/**
 * What {@code bin/jobstack} runs once per build while the JVM lists the classes it loads, to make
 * the client's class-data archive: the listing commands, against a stand-in server on a loopback
 * port that accepts every call and lists nothing. The archive then holds what a real listing loads
 * through its answer (the HTTP exchange, the JSON reading, the table), not only its start.
 */
public final class ArchiveTraining {

    static final List<List<String>> COMMANDS = List.of(
            List.of("apps", "ls"),
            List.of("triggers", "ls"),
            List.of("jobs", "ls", "service"),
            List.of("instances", "ls"));

    private ArchiveTraining() {}

    public static void main(String[] args) throws IOException {
        System.exit(train() == 0 ? 0 : 1);
    }

    /** Runs the commands against a stand-in; returns how many did not succeed. */
    static int train() throws IOException {
        Path data = Files.createTempDirectory("jobstack-training");
        Files.writeString(data.resolve("admin-passphrase"), "training", StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ArchiveTraining::answer);
        server.start();
        String url = "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
        int failed = 0;
        try {
            for (List<String> command : COMMANDS) {
                List<String> line = new ArrayList<>(command);
                line.addAll(List.of("--url", url, "--admin-url", url, "--data-dir", data.toString()));
                if (JobstackCli.run(line.toArray(String[]::new)) != 0) {
                    failed++;
                }
            }
        } finally {
            server.stop(0);
            FileTrees.deleteQuietly(data);
        }
        return failed;
    }

    /** A token for a token request, an empty JSON:API listing for anything else. */
    private static void answer(HttpExchange exchange) throws IOException {
        boolean token = exchange.getRequestURI().getPath().equals("/instances/token");
        byte[] body = (token ? "training-token" : "{\"data\":[],\"links\":{},\"meta\":{\"count\":0}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", token ? "text/plain" : "application/vnd.api+json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
