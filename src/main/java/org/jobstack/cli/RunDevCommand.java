package org.jobstack.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jobstack.common.FileTrees;
import org.jobstack.exec.ChildEnvironment;
import org.jobstack.exec.CozyLogLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * Runs one service once, in the foreground, as Jobstack would run it (like {@code cozy-run-dev}):
 * the file copied into a fresh run directory as {@code index.js}, the {@code COZY_*} environment and
 * nothing else, its cozy-logger lines printed as {@code level message}. Exits with node's exit code.
 */
@Command(
        name = "run-dev",
        mixinStandardHelpOptions = true,
        description = "Run a built service once with the environment Jobstack gives it, and print its logs.")
class RunDevCommand extends ServerCommand implements Callable<Integer> {

    @Option(
            names = {"-m", "--manifest"},
            required = true,
            description = "The app's manifest.webapp")
    Path manifest;

    @Parameters(index = "0", description = "The built service file (e.g. build/services/onOperation.js)")
    Path service;

    @Option(names = "--event", description = "A JSON file: the event ({\"doc\":…}) or the document itself")
    Path event;

    @Option(names = "--payload", description = "A JSON file: the payload (COZY_PAYLOAD)")
    Path payload;

    @Option(names = "--stack-url", description = "COZY_URL (default: $COZY_URL, or the instance's URL on --url)")
    String stackUrl;

    @Option(
            names = "--token",
            description =
                    "COZY_CREDENTIALS (default: $COZY_CREDENTIALS, or an app token minted " + "through the admin API)")
    String token;

    @Option(names = "--locale", defaultValue = "en", description = "COZY_LOCALE (default en)")
    String locale;

    @Option(
            names = "--timeout",
            defaultValue = "300",
            description = "Seconds before the service is killed (default 300)")
    long timeout;

    @Option(names = "--node", defaultValue = "node", description = "The node command (default: node on PATH)")
    String node;

    @Override
    public Integer call() throws Exception {
        JsonNode app = ServerClient.parse(read(manifest, "manifest"));
        String slug = app.path("slug").asString("");
        String eventJson = event == null ? null : eventDocument(ServerClient.parse(read(event, "event")));
        Path runDir = Files.createTempDirectory("jobstack-run-dev-");
        try {
            Files.copy(service, runDir.resolve("index.js"));
            Instant now = Instant.now();
            ChildEnvironment.Run run = new ChildEnvironment.Run(
                    stackUrl(),
                    credentials(slug),
                    locale,
                    now,
                    now.plusSeconds(timeout),
                    "run-dev-" + UUID.randomUUID(),
                    payload == null ? null : read(payload, "payload"),
                    null,
                    runDir);
            Map<String, String> env = ChildEnvironment.forDevService(
                    run,
                    eventJson,
                    "",
                    System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"),
                    ServerClient.JSON);
            return execute(runDir, env);
        } finally {
            FileTrees.delete(runDir);
        }
    }

    private int execute(Path runDir, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(node, runDir.toString())
                .directory(runDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CliException(JobstackCli.REFUSED, "cannot start " + node + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Thread errors = new Thread(() -> pump(process.getErrorStream(), line -> err.println("stderr  " + line)));
        errors.start();
        pump(process.getInputStream(), line -> {
            CozyLogLine log = CozyLogLine.parse(line, ServerClient.JSON, 64 * 1024);
            out.println(log.parsed() ? String.format("%-7s %s", log.level(), log.message()) : line);
        });
        if (!process.waitFor(timeout, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            err.println("error: the service ran past " + Duration.ofSeconds(timeout) + " and was killed");
        }
        errors.join(2_000);
        out.flush();
        return process.waitFor();
    }

    private String stackUrl() {
        if (stackUrl != null) {
            return stackUrl;
        }
        String fromEnv = System.getenv("COZY_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return server.url() + "/";
    }

    private String credentials(String slug) {
        if (token != null) {
            return token;
        }
        String fromEnv = System.getenv("COZY_CREDENTIALS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return new ServerClient(server)
                .admin(
                        "POST",
                        "/instances/token?Domain=" + ServerClient.enc(server.domain()) + "&Subject="
                                + ServerClient.enc(slug) + "&Audience=app",
                        null)
                .body()
                .strip();
    }

    /** The document of an event file ({@code {"doc":…}}), or the file itself when it is the document. */
    static String eventDocument(JsonNode event) {
        JsonNode wrapped =
                event.has("doc") ? event : ServerClient.JSON.createObjectNode().set("doc", event);
        return wrapped.toString();
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(JobstackCli.REFUSED, "cannot read the " + what + " " + file + ": " + e.getMessage());
        }
    }

    private static void pump(InputStream stream, Consumer<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            reader.lines().forEach(lines);
        } catch (IOException | UncheckedIOException e) {
            // the process is gone
        }
    }
}
