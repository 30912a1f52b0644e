package org.jobstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "nodes",
        description = "The nodes sharing the database: list them, drain one (it finishes what it runs and"
                + " claims nothing new), undrain it.",
        mixinStandardHelpOptions = true)
class NodesCommand {

    static class Common extends ServerCommand.WithJson {
        void print(JsonNode resource) {
            JsonNode a = resource.path("attributes");
            printResource(
                    resource,
                    String.format(
                            "%-28s %-9s %-14s running %-4d heartbeat %5.1fs ago  %s",
                            resource.path("id").asString(),
                            a.path("state").asString(),
                            a.path("version").asString(),
                            a.path("running").asLong(),
                            a.path("heartbeat_age_ms").asLong() / 1000.0,
                            a.path("host").asString()));
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the nodes.")
    static class Ls extends Common implements Callable<Integer> {
        @Override
        public Integer call() {
            new ServerClient(server)
                    .adminJson("GET", "/nodes", null)
                    .path("data")
                    .forEach(this::print);
            return 0;
        }
    }

    /** Drain or undrain: {@code POST /nodes/:id/<action>}, the node printed as it is after. */
    abstract static class NodeAction extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Node id (see nodes ls)")
        String id;

        abstract String action();

        @Override
        public Integer call() {
            print(new ServerClient(server)
                    .adminJson("POST", "/nodes/" + ServerClient.enc(id) + "/" + action(), null)
                    .path("data"));
            return 0;
        }
    }

    @Command(
            name = "drain",
            mixinStandardHelpOptions = true,
            description = "Stop a node claiming jobs and firing triggers; what it runs ends normally.")
    static class Drain extends NodeAction {
        @Override
        String action() {
            return "drain";
        }
    }

    @Command(name = "undrain", mixinStandardHelpOptions = true, description = "Let a drained node claim jobs again.")
    static class Undrain extends NodeAction {
        @Override
        String action() {
            return "undrain";
        }
    }
}
