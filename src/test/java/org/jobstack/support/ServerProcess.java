package org.jobstack.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Jobstack server in its own JVM (the test classpath, {@code org.jobstack.Main}), for tests
 * that must really kill and restart it.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Api api;

    private ServerProcess(Process process, Api api) {
        this.process = process;
        this.api = api;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a server on {@code dataDir} and waits until it answers its health check. */
    public static ServerProcess start(Path dataDir, int port, int adminPort, String... settings) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "org.jobstack.Main",
                "--server.port=" + port,
                "--jobstack.admin.port=" + adminPort,
                "--jobstack.data-dir=" + dataDir,
                "--jobstack.admin.passphrase=" + IntegrationTest.PASSPHRASE,
                "--jobstack.instances.default-domain=",
                "--jobstack.jobs.poll-interval=200ms",
                "--logging.level.root=WARN",
                "--logging.level.org.jobstack=INFO"));
        command.addAll(List.of(settings));
        Path log = dataDir.resolve("server-" + Instant.now().toEpochMilli() + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServerProcess server = new ServerProcess(process, new Api(port, adminPort, IntegrationTest.PASSPHRASE));
        server.awaitHealthy(Duration.ofSeconds(90), log);
        return server;
    }

    public Api api() {
        return api;
    }

    /** SIGKILL: no shutdown hook, no cleanup, as a crash. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: a graceful shutdown. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill9();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }

    private void awaitHealthy(Duration timeout, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/actuator/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        kill9();
        throw new IllegalStateException("server not healthy after " + timeout + "; see " + log);
    }
}
