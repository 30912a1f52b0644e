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
        Path log = dataDir.resolve("server-" + Instant.now().toEpochMilli() + ".log");
        return start(command(dataDir, port, adminPort, settings), log, port, adminPort);
    }

    /**
     * Starts a server under {@code umask}, logging to {@code log} (outside the data directory, which
     * the server creates), and waits until it answers its health check.
     */
    public static ServerProcess startUnderUmask(
            String umask, Path dataDir, Path log, int port, int adminPort, String... settings) throws Exception {
        return start(underUmask(umask, command(dataDir, port, adminPort, settings)), log, port, adminPort);
    }

    /** {@code command} run by a shell that first sets {@code umask}. */
    public static List<String> underUmask(String umask, List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static ServerProcess start(List<String> command, Path log, int port, int adminPort) throws Exception {
        return start(command, log, port, adminPort, Duration.ofSeconds(90));
    }

    /** Starts the server {@code command} runs, and waits up to {@code timeout} until it answers its health check. */
    public static ServerProcess start(List<String> command, Path log, int port, int adminPort, Duration timeout)
            throws Exception {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServerProcess server = new ServerProcess(process, new Api(port, adminPort, IntegrationTest.PASSPHRASE));
        server.awaitHealthy(timeout, log);
        return server;
    }

    /** The java command line of a server on {@code dataDir} with the test settings and {@code settings}. */
    public static List<String> command(Path dataDir, int port, int adminPort, String... settings) {
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
        return command;
    }

    public Api api() {
        return api;
    }

    public long pid() {
        return process.pid();
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
