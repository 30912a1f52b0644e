package org.jobstack.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "apps", description = "Install and inspect apps.", mixinStandardHelpOptions = true,
        subcommands = {AppsCommand.Install.class, AppsCommand.Show.class})
class AppsCommand {

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install an app from a build folder: jobstack apps install <slug> file:///path/to/build")
    static class Install implements Callable<Integer> {

        @Mixin
        ServerOptions server;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "App slug (lowercase letters, digits, '-')")
        String slug;

        @Parameters(index = "1", description = "Source: file:///abs/path, file://relative/path or a folder path")
        String source;

        @Option(names = "--json", description = "Print the server's JSON answer")
        boolean json;

        @Override
        public Integer call() {
            JsonNode doc = new ServerClient(server).call("POST",
                    "/apps/" + ServerClient.enc(slug) + "?Source=" + ServerClient.enc(fileUrl(source)), "io.cozy.apps");
            AppsCommand.print(spec, doc, json, "Installed");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an installed app.")
    static class Show implements Callable<Integer> {

        @Mixin
        ServerOptions server;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "App slug")
        String slug;

        @Option(names = "--json", description = "Print the server's JSON answer")
        boolean json;

        @Override
        public Integer call() {
            JsonNode doc = new ServerClient(server).call("GET", "/apps/" + ServerClient.enc(slug), "io.cozy.apps");
            AppsCommand.print(spec, doc, json, "App");
            return 0;
        }
    }

    /** A folder path or {@code file://} URL (relative paths are taken from the current folder). */
    static String fileUrl(String source) {
        if (source.contains("://") && !source.startsWith("file://")) {
            return source;
        }
        String path = source.startsWith("file://") ? source.substring("file://".length()) : source;
        return Path.of(path).toAbsolutePath().normalize().toUri().toString().replaceFirst("^file:/+", "file:///");
    }

    static void print(CommandSpec spec, JsonNode doc, boolean json, String verb) {
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(ServerClient.pretty(doc));
            return;
        }
        JsonNode a = doc.path("data").path("attributes");
        out.printf("%s %s %s (state %s)%n", verb, a.path("slug").asString(), a.path("version").asString(),
                a.path("state").asString());
        for (Map.Entry<String, JsonNode> service : a.path("services").properties()) {
            JsonNode s = service.getValue();
            String trigger = s.path("trigger").asString("");
            out.printf("  service %s: %s%s%n", service.getKey(), trigger.isEmpty() ? "no trigger" : trigger,
                    s.path("trigger_id").asString("").isEmpty() ? "" : " (trigger " + s.path("trigger_id").asString() + ")");
        }
    }
}
