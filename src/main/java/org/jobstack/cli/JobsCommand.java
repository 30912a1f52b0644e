package org.jobstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.JsonNode;

@Command(name = "jobs", description = "Inspect jobs.", mixinStandardHelpOptions = true,
        subcommands = {JobsCommand.Show.class, JobsCommand.Logs.class})
class JobsCommand {

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a job: state, times, error.")
    static class Show implements Callable<Integer> {

        @Mixin
        ServerOptions server;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "Job id")
        String id;

        @Option(names = "--json", description = "Print the server's JSON answer")
        boolean json;

        @Override
        public Integer call() {
            JsonNode doc = new ServerClient(server).call("GET", "/jobs/" + ServerClient.enc(id), "io.cozy.jobs");
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(ServerClient.pretty(doc));
                return 0;
            }
            JsonNode a = doc.path("data").path("attributes");
            out.printf("job %s  worker %s  state %s%n", id, a.path("worker").asString(), a.path("state").asString());
            out.printf("  queued %s  started %s  finished %s  attempts %d%n", a.path("queued_at").asString(),
                    a.path("started_at").asString(), a.path("finished_at").asString(), a.path("attempts").asInt());
            if (a.has("error")) {
                out.printf("  error: %s%n", a.path("error").asString());
            }
            return 0;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a job's log lines.")
    static class Logs implements Callable<Integer> {

        @Mixin
        ServerOptions server;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "Job id")
        String id;

        @Override
        public Integer call() {
            JsonNode doc = new ServerClient(server).call("GET", "/jobs/" + ServerClient.enc(id) + "/logs",
                    "io.cozy.jobs");
            var out = spec.commandLine().getOut();
            for (JsonNode line : doc.path("data")) {
                JsonNode a = line.path("attributes");
                out.printf("%s %-7s %s%n", a.path("time").asString(), a.path("level").asString(),
                        a.path("message").asString());
            }
            return 0;
        }
    }
}
