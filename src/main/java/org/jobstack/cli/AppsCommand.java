package org.jobstack.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "apps",
        description = "Install, update, uninstall and inspect apps (and konnectors with --konnector).",
        mixinStandardHelpOptions = true)
class AppsCommand {

    /** What every apps command shares: server, output, and whether it is a konnector. */
    static class Common extends ServerCommand.WithJson {
        @Option(names = "--konnector", description = "A konnector (manifest.konnector) rather than a webapp")
        boolean konnector;

        String route() {
            return konnector ? "/konnectors" : "/apps";
        }

        String scope() {
            return konnector ? "io.cozy.konnectors" : "io.cozy.apps";
        }

        ServerClient client() {
            return new ServerClient(server);
        }
    }

    @Command(
            name = "install",
            mixinStandardHelpOptions = true,
            description = "Install an app from a folder, a .tar.gz/.zip file, an http(s) URL or a git repository; shows"
                    + " progress.")
    static class Install extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "App slug (lowercase letters, digits, '-')")
        String slug;

        @Parameters(
                index = "1",
                description = "Source: a folder or archive path, file:///abs/path, http(s)://…, git://…, git+https://…"
                        + " or git+ssh://user@host/… (each git source with an optional #branch-or-tag)")
        String source;

        @Override
        public Integer call() {
            return progress(
                    this,
                    "POST",
                    route() + "/" + ServerClient.enc(slug) + "?Source=" + ServerClient.enc(fileUrl(source)));
        }
    }

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = "Update an app from its source, or from a new one; shows progress.")
    static class Update extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "App slug")
        String slug;

        @Parameters(index = "1", arity = "0..1", description = "New source (default: the one it was installed from)")
        String source;

        @Override
        public Integer call() {
            String query = source == null ? "" : "?Source=" + ServerClient.enc(fileUrl(source));
            return progress(this, "PUT", route() + "/" + ServerClient.enc(slug) + query);
        }
    }

    @Command(
            name = "uninstall",
            mixinStandardHelpOptions = true,
            description = "Uninstall an app, its triggers and files.")
    static class Uninstall extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "App slug")
        String slug;

        @Override
        public Integer call() {
            JsonNode doc = client().call("DELETE", route() + "/" + ServerClient.enc(slug), scope());
            if (json) {
                spec.commandLine().getOut().println(ServerClient.pretty(doc));
            } else {
                spec.commandLine().getOut().println("Uninstalled " + slug);
            }
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List installed apps.")
    static class Ls extends Common implements Callable<Integer> {
        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            String next = route() + "/?limit=1000";
            while (next != null) {
                JsonNode page = client().call("GET", next, scope());
                for (JsonNode app : page.path("data")) {
                    JsonNode a = app.path("attributes");
                    out.println(
                            json
                                    ? app.toString()
                                    : String.format(
                                            "%-24s %-12s %s",
                                            a.path("slug").asString(),
                                            a.path("version").asString(),
                                            a.path("state").asString()));
                }
                next = page.path("links").path("next").asString(null);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an installed app and its services.")
    static class Show extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "App slug")
        String slug;

        @Override
        public Integer call() {
            print(spec, client().call("GET", route() + "/" + ServerClient.enc(slug), scope()), json, "App");
            return 0;
        }
    }

    /** Follows an install or update stream, printing each state; the last document is the result. */
    static int progress(Common command, String method, String path) {
        var out = command.spec.commandLine().getOut();
        JsonNode[] last = new JsonNode[1];
        String[] error = new String[1];
        command.client().stream(method, path, command.scope(), (event, data) -> {
            if (event.equals("error")) {
                error[0] = ServerClient.parse(data).asString();
            } else if (event.equals("state")) {
                last[0] = ServerClient.parse(data);
                if (!command.json) {
                    JsonNode a = last[0].path("data").path("attributes");
                    out.printf(
                            "%s %s: %s%n",
                            a.path("slug").asString(),
                            a.path("version").asString(),
                            a.path("state").asString());
                }
            }
        });
        if (error[0] != null) {
            throw new CliException(JobstackCli.REFUSED, error[0]);
        }
        if (last[0] == null) {
            throw new CliException(JobstackCli.REFUSED, "the server ended the stream without a result");
        }
        print(command.spec, last[0], command.json, method.equals("PUT") ? "Updated" : "Installed");
        return 0;
    }

    /** A folder or archive path, or a {@code file://} URL (relative paths are from the current folder). */
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
        out.printf(
                "%s %s %s (state %s)%n",
                verb,
                a.path("slug").asString(),
                a.path("version").asString(),
                a.path("state").asString());
        for (Map.Entry<String, JsonNode> service : a.path("services").properties()) {
            JsonNode s = service.getValue();
            String trigger = s.path("trigger").asString("");
            out.printf(
                    "  service %s: %s%s%n",
                    service.getKey(),
                    trigger.isEmpty() ? "no trigger" : trigger,
                    s.path("trigger_id").asString("").isEmpty()
                            ? ""
                            : " (trigger " + s.path("trigger_id").asString() + ")");
        }
    }
}
