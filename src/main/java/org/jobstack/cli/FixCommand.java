package org.jobstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

@Command(name = "fix", description = "Repair what an instance's data should be.", mixinStandardHelpOptions = true)
class FixCommand {

    @Command(
            name = "service-triggers",
            mixinStandardHelpOptions = true,
            description = "Recreate the missing triggers of installed apps' services, and delete those of apps gone"
                    + " or of services no longer declared.")
    static class ServiceTriggers extends ServerCommand.WithJson implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        InstanceTargets targets;

        @Override
        public Integer call() {
            ServerClient client = new ServerClient(server);
            for (String domain : targets.domains(client)) {
                JsonNode report = client.adminJson(
                        "POST", "/instances/" + ServerClient.enc(domain) + "/fixers/service-triggers", null);
                spec.commandLine()
                        .getOut()
                        .println(
                                json
                                        ? report.toString()
                                        : String.format(
                                                "%s: %d recreated, %d updated, %d deleted",
                                                report.path("Domain").asString(),
                                                report.path("RecreatedTriggersCount")
                                                        .asInt(),
                                                report.path("UpdatedTriggersCount")
                                                        .asInt(),
                                                report.path("DeletedTriggersCount")
                                                        .asInt()));
            }
            return 0;
        }
    }
}
