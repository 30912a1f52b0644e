package org.jobstack.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "triggers", description = "List, show and launch triggers.", mixinStandardHelpOptions = true)
class TriggersCommand {

    static final String SCOPE = "io.cozy.triggers io.cozy.apps io.cozy.jobs";

    static class Common extends ServerCommand.WithJson {
        void printTrigger(JsonNode resource) {
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(resource.toString());
                return;
            }
            JsonNode a = resource.path("attributes");
            JsonNode state = a.path("current_state");
            out.printf(
                    "%s  %-9s %-24s worker %-10s last %s%s%n",
                    resource.path("id").asString(),
                    a.path("type").asString(),
                    a.path("arguments").asString(),
                    a.path("worker").asString(),
                    state.path("status").asString("-"),
                    a.path("debounce").asString("").isEmpty()
                            ? ""
                            : "  debounce " + a.path("debounce").asString());
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List triggers.")
    static class Ls extends Common implements Callable<Integer> {
        @Option(names = "--worker", description = "Only triggers of this worker")
        String worker;

        @Option(names = "--type", description = "Only triggers of this type (@cron, @event…)")
        String type;

        @Mixin
        ListingOptions listing;

        @Override
        public Integer call() {
            StringBuilder query = new StringBuilder("/jobs/triggers");
            if (worker != null) {
                query.append("?Worker=").append(ServerClient.enc(worker));
            }
            if (type != null) {
                query.append(worker == null ? "?" : "&").append("Type=").append(ServerClient.enc(type));
            }
            new ServerClient(server).list(query.toString(), SCOPE, listing, this::printTrigger);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a trigger.")
    static class Show extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Trigger id")
        String id;

        @Override
        public Integer call() {
            JsonNode doc = new ServerClient(server).call("GET", "/jobs/triggers/" + ServerClient.enc(id), SCOPE);
            if (json) {
                spec.commandLine().getOut().println(ServerClient.pretty(doc));
            } else {
                printTrigger(doc.path("data"));
            }
            return 0;
        }
    }

    @Command(
            name = "launch",
            mixinStandardHelpOptions = true,
            description = "Run a trigger's job now; prints the job id.")
    static class Launch extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Trigger id")
        String id;

        @Override
        public Integer call() {
            JsonNode job =
                    new ServerClient(server).call("POST", "/jobs/triggers/" + ServerClient.enc(id) + "/launch", SCOPE);
            spec.commandLine()
                    .getOut()
                    .println(
                            json
                                    ? ServerClient.pretty(job)
                                    : job.path("data").path("id").asString());
            return 0;
        }
    }

    @Command(
            name = "show-from-app",
            mixinStandardHelpOptions = true,
            description = "Show the triggers of an app's services.")
    static class ShowFromApp extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "App slug")
        String slug;

        @Override
        public Integer call() {
            ServerClient client = new ServerClient(server);
            JsonNode app = client.call("GET", "/apps/" + ServerClient.enc(slug), SCOPE);
            for (Map.Entry<String, JsonNode> service :
                    app.path("data").path("attributes").path("services").properties()) {
                String triggerId = service.getValue().path("trigger_id").asString("");
                if (!json) {
                    spec.commandLine().getOut().print(service.getKey() + ": ");
                }
                if (triggerId.isEmpty()) {
                    spec.commandLine().getOut().println(json ? "null" : "no trigger");
                } else {
                    printTrigger(client.call("GET", "/jobs/triggers/" + ServerClient.enc(triggerId), SCOPE)
                            .path("data"));
                }
            }
            return 0;
        }
    }
}
