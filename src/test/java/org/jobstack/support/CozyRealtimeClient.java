package org.jobstack.support;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The {@code cozy-realtime} npm package (the client cozy apps use) watching one doctype of an
 * instance, in a node process ({@code src/test/node/realtime-client/watch.js}); each event it
 * receives is a JSON line read here. Its packages are installed once with {@code npm ci}
 * (pinned by the lock file) under {@code target/realtime-client}.
 */
public final class CozyRealtimeClient implements AutoCloseable {

    private static final Path SOURCE = Path.of("src/test/node/realtime-client");
    private static final Path FOLDER = Path.of("target/realtime-client").toAbsolutePath();

    private final Process process;
    private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();

    private CozyRealtimeClient(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "cozy-realtime-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts watching {@code doctype}; returns once the client's subscription is live. */
    public static CozyRealtimeClient watch(int port, String domain, String token, String doctype) throws Exception {
        install();
        Process process = new ProcessBuilder("node", "watch.js", "http://127.0.0.1:" + port, domain, token, doctype)
                .directory(FOLDER.toFile())
                .redirectError(FOLDER.resolve("watch-" + domain + ".err").toFile())
                .start();
        CozyRealtimeClient client = new CozyRealtimeClient(process);
        JsonNode first = client.next(Duration.ofSeconds(30));
        if (first == null || !first.path("ready").asBoolean()) {
            client.close();
            throw new IllegalStateException("cozy-realtime did not get ready: " + first + ", see "
                    + FOLDER.resolve("watch-" + domain + ".err"));
        }
        return client;
    }

    private static synchronized void install() throws IOException, InterruptedException {
        assumeThat(onPath("npm"))
                .as("npm installs the cozy-realtime client (.ci/run installs it)")
                .isTrue();
        Files.createDirectories(FOLDER);
        boolean changed = false;
        for (String file : List.of("package.json", "package-lock.json", ".npmrc", "watch.js")) {
            Path target = FOLDER.resolve(file);
            byte[] wanted = Files.readAllBytes(SOURCE.resolve(file));
            if (!Files.exists(target) || !java.util.Arrays.equals(Files.readAllBytes(target), wanted)) {
                Files.copy(SOURCE.resolve(file), target, StandardCopyOption.REPLACE_EXISTING);
                changed |= !file.equals("watch.js");
            }
        }
        if (changed || !Files.isDirectory(FOLDER.resolve("node_modules/cozy-realtime"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(FOLDER.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(FOLDER.resolve("npm-ci.log").toFile())
                    .start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci failed: see " + FOLDER.resolve("npm-ci.log"));
            }
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null
                && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private void read() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(Api.JSON.readTree(line));
            }
        } catch (IOException | RuntimeException e) {
            // the process ended
        }
    }

    /** The next event ({@code {"event": ..., "doc": ...}}), or null when none came within {@code timeout}. */
    public JsonNode next(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
