package org.jobstack.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jobstack.common.GoDuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The service author's loop in one command: install or update an app from its build folder, then
 * with {@code --watch} update it after each change, print what changed, run a service if asked,
 * and print its jobs' log lines, until Ctrl-C. A failed update leaves the last good version.
 */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description = "Install or update an app from its build folder; with --watch, again after each change"
                + " (once the folder is quiet), printing what changed and the log lines of its jobs, until Ctrl-C.")
class AppsDevCommand extends AppsCommand.Common implements Callable<Integer> {

    @Parameters(index = "0", description = "App slug")
    String slug;

    @Parameters(index = "1", description = "The build folder (holding the manifest)")
    Path folder;

    @Option(names = "--watch", description = "Keep watching the folder and update the app after each change")
    boolean watch;

    @Option(names = "--run", paramLabel = "SERVICE", description = "Run this service after each install or update")
    String run;

    @Option(names = "--event", description = "With --run: a JSON file, the event ({\"doc\":…}) or the document")
    Path event;

    @Option(names = "--payload", description = "With --run: a JSON file, the payload (COZY_PAYLOAD)")
    Path payload;

    @Option(
            names = "--quiet",
            defaultValue = "500ms",
            description = "How long the folder must stay unchanged before an update (default ${DEFAULT-VALUE})")
    String quiet;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), folder + " is not a folder");
        }
        Duration quietPeriod = parseQuiet();
        var out = spec.commandLine().getOut();
        ServerClient client = client();
        String source = AppsCommand.fileUrl(folder.toString());
        // a client of its own: a client keeps its tokens in a plain map, for one thread
        try (AppJobLogs logs = new AppJobLogs(new ServerClient(server), out, Duration.ofMillis(300))) {
            if (!deploy(client, source, logs) && !watch) {
                return JobstackCli.REFUSED;
            }
            if (!watch) {
                return 0;
            }
            try (FolderWatch changes = new FolderWatch(folder, quietPeriod)) {
                out.println("Watching " + folder + " (Ctrl-C to stop)");
                while (true) {
                    changes.awaitQuietChange();
                    deploy(client, source, logs);
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Installs or updates; prints what changed, or why it failed. Whether it went through. */
    private boolean deploy(ServerClient client, String source, AppJobLogs logs) {
        var out = spec.commandLine().getOut();
        JsonNode before = current(client);
        try {
            AppsCommand.progress(
                    this,
                    before == null ? "POST" : "PUT",
                    route() + "/" + ServerClient.enc(slug) + "?Source=" + ServerClient.enc(source));
        } catch (CliException refused) {
            if (!watch) {
                throw refused;
            }
            out.println("Update failed: " + refused.getMessage()
                    + (before == null
                            ? ""
                            : "; " + slug + " "
                                    + before.path("data")
                                            .path("attributes")
                                            .path("version")
                                            .asString() + " keeps running"));
            return false;
        }
        JsonNode after = current(client);
        List<String> changes = ServiceChanges.between(before, after);
        if (before != null && changes.isEmpty()) {
            out.println("Services unchanged");
        }
        changes.forEach(out::println);
        logs.watchTriggers(triggerIds(after));
        if (run != null) {
            String job = client.call(
                            "POST",
                            "/jobs/queue/" + (konnector ? "konnector" : "service"),
                            scope() + " " + AppJobLogs.SCOPE,
                            runBody())
                    .path("data")
                    .path("id")
                    .asString();
            logs.watchJob(job);
            out.println("Running " + run + ": job " + job);
        }
        return true;
    }

    private JsonNode current(ServerClient client) {
        try {
            return client.call("GET", route() + "/" + ServerClient.enc(slug), scope());
        } catch (CliException e) {
            if (e.exitCode() == JobstackCli.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    private static List<String> triggerIds(JsonNode app) {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, JsonNode> s :
                app.path("data").path("attributes").path("services").properties()) {
            String id = s.getValue().path("trigger_id").asString("");
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    private String runBody() {
        ObjectNode attributes = ServerClient.JSON.createObjectNode();
        ObjectNode arguments = attributes.putObject("arguments");
        if (konnector) {
            arguments.put("konnector", slug);
        } else {
            arguments.put("slug", slug).put("name", run);
        }
        attributes.put("manual", true);
        if (event != null) {
            attributes.set("event", ServerClient.JSON.readTree(RunDevCommand.eventDocument(json(event))));
        }
        if (payload != null) {
            attributes.set("payload", json(payload));
        }
        ObjectNode body = ServerClient.JSON.createObjectNode();
        body.putObject("data").set("attributes", attributes);
        return body.toString();
    }

    private JsonNode json(Path file) {
        try {
            return ServerClient.parse(Files.readString(file));
        } catch (IOException e) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
    }

    private Duration parseQuiet() {
        try {
            return GoDuration.parse(quiet);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--quiet: " + e.getMessage());
        }
    }
}
