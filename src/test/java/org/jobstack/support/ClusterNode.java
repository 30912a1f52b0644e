package org.jobstack.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.jobstack.config.PrivateFiles;

/**
 * One Jobstack node of a test cluster: {@code java -jar target/jobstack.jar} in its own JVM, with
 * its own data folder (also its working directory and its run directories: nothing on disk is
 * shared with the other nodes), its own node id and ports, and the settings given (the shared
 * database, the admin passphrase). Its output goes to {@code <data-dir>/node.log}, appended across
 * restarts, each life headed by a line. The ports and node id stay the same across restarts, as
 * for a server restarted in place.
 *
 * <p>Clients that must not talk to a node while it is going down wrap their calls in {@link
 * #whileUp}: {@link #kill9()} and {@link #stop()} wait for the calls under way, then refuse new
 * ones until the node is started again, so a test never loses the answer to a request it made.
 */
public final class ClusterNode implements AutoCloseable {

    /** The packaged server: built by {@code ./mvnw package}, which runs before failsafe's tests. */
    public static final Path JAR = Path.of("target/jobstack.jar").toAbsolutePath();

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String id;
    private final Path dataDir;
    private final int port;
    private final int adminPort;
    private final List<String> settings;
    private final List<String> jvmOptions;
    private final Api api;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    private volatile Process process;
    private volatile boolean up;
    private int lives;

    private ClusterNode(String id, Path dataDir, List<String> jvmOptions, List<String> settings) {
        this.id = id;
        this.dataDir = dataDir.toAbsolutePath();
        this.port = ServerProcess.freePort();
        this.adminPort = ServerProcess.freePort();
        this.jvmOptions = List.copyOf(jvmOptions);
        this.settings = List.copyOf(settings);
        this.api = new Api(port, adminPort, IntegrationTest.PASSPHRASE);
    }

    /**
     * A node (not started) with a light JVM ({@code -Xmx384m}, C1 only, serial GC) and the given
     * server settings ({@code --name=value}), after the node's own: ports, node id, data folder,
     * run directories under it, admin passphrase, no default instance.
     */
    public static ClusterNode of(String id, Path dataDir, List<String> settings) {
        return of(id, dataDir, List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), settings);
    }

    /** A node (not started) with the given JVM options and server settings. */
    public static ClusterNode of(String id, Path dataDir, List<String> jvmOptions, List<String> settings) {
        return new ClusterNode(id, dataDir, jvmOptions, settings);
    }

    public String id() {
        return id;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Api api() {
        return api;
    }

    public Path log() {
        return dataDir.resolve("node.log");
    }

    /** The server JVM's pid (of its current life). */
    public long pid() {
        return process.pid();
    }

    /** Started, healthy, and not going down. */
    public boolean isUp() {
        return up;
    }

    /** Starts the JVM without waiting for it; {@link #awaitHealthy} then waits. */
    public synchronized ClusterNode launch() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("node " + id + " is already running");
        }
        PrivateFiles.createFolder(dataDir.resolve("run"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-jar",
                JAR.toString(),
                "--server.port=" + port,
                "--jobstack.admin.port=" + adminPort,
                "--jobstack.node.id=" + id,
                "--jobstack.data-dir=" + dataDir,
                "--jobstack.exec.tmp-dir=" + dataDir.resolve("run"),
                "--jobstack.admin.passphrase=" + IntegrationTest.PASSPHRASE,
                "--jobstack.secrets.key=" + IntegrationTest.CLUSTER_SECRETS_KEY,
                "--jobstack.instances.default-domain=",
                "--logging.level.root=WARN",
                "--logging.level.org.jobstack=INFO"));
        command.addAll(settings);
        lives++;
        Files.writeString(
                log(),
                "===== node " + id + ", life " + lives + ", started " + Instant.now() + " (pid follows) =====\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        process = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .start();
        return this;
    }

    /** Waits until the node answers its health check; it then accepts {@link #whileUp} calls. */
    public ClusterNode awaitHealthy(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Process p = process;
            if (!p.isAlive()) {
                throw new IllegalStateException(
                        "node " + id + " exited with " + p.exitValue() + "; see " + log() + "\n" + logTail(40));
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    up = true;
                    return this;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("node " + id + " not healthy after " + timeout + "; see " + log());
    }

    /** Starts the nodes together and waits until every one is healthy. */
    public static void startAll(List<ClusterNode> nodes, Duration timeout) throws Exception {
        for (ClusterNode node : nodes) {
            node.launch();
        }
        List<CompletableFuture<ClusterNode>> healthy = new ArrayList<>();
        for (ClusterNode node : nodes) {
            healthy.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return node.awaitHealthy(timeout);
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }));
        }
        for (CompletableFuture<ClusterNode> h : healthy) {
            h.join();
        }
    }

    /**
     * Runs {@code call} with this node's API unless the node is down or going down; returns null
     * then. A {@link #kill9()} or {@link #stop()} waits for the calls under way.
     */
    public <T> T whileUp(Function<Api, T> call) {
        try {
            if (!up || !gate.readLock().tryLock(0, TimeUnit.SECONDS)) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            return up ? call.apply(api) : null;
        } finally {
            gate.readLock().unlock();
        }
    }

    /** SIGKILL, as a crash: no shutdown hook, no cleanup; its child processes are left to fend for themselves. */
    public void kill9() throws InterruptedException {
        goingDown();
        Process p = process;
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("node " + id + " survived SIGKILL");
        }
    }

    /** SIGTERM: a graceful shutdown (running attempts get the shutdown grace, then are given back). */
    public void stop() throws InterruptedException {
        goingDown();
        Process p = process;
        p.destroy();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("node " + id + " did not stop within 90 s of SIGTERM; see " + log());
        }
    }

    /** A graceful stop, then a start on the same data folder, node id and ports. */
    public void restart(Duration timeout) throws Exception {
        stop();
        launch();
        awaitHealthy(timeout);
    }

    private void goingDown() {
        up = false;
        gate.writeLock().lock();
        try {
            up = false;
        } finally {
            gate.writeLock().unlock();
        }
    }

    /** The last lines of the node's log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Kills the node and whatever it still runs (a test's cleanup, not a scenario step). */
    @Override
    public void close() throws InterruptedException {
        up = false;
        Process p = process;
        if (p != null && p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "node " + id + " (port " + port + ", admin " + adminPort + ")";
    }
}
