package org.jobstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

@Command(
        name = "check",
        description = "Look for what is wrong in an instance's data, changing nothing.",
        mixinStandardHelpOptions = true)
class CheckCommand {

    /** Exits 0 whatever it finds: a finding is an answer, not a failure of the command. */
    @Command(
            name = "triggers",
            mixinStandardHelpOptions = true,
            description = "List duplicate triggers and triggers whose arguments or message are invalid.")
    static class Triggers extends ServerCommand.WithJson implements Callable<Integer> {
        @ArgGroup(exclusive = true, multiplicity = "1")
        InstanceTargets targets;

        @Override
        public Integer call() {
            ServerClient client = new ServerClient(server);
            var out = spec.commandLine().getOut();
            for (String domain : targets.domains(client)) {
                JsonNode findings =
                        client.adminJson("POST", "/instances/" + ServerClient.enc(domain) + "/checks/triggers", null);
                if (json) {
                    out.println(
                            "{\"domain\":" + ServerClient.JSON.valueToTree(domain) + ",\"findings\":" + findings + "}");
                    continue;
                }
                out.println(domain + ": " + findings.size() + (findings.size() == 1 ? " finding" : " findings"));
                findings.forEach(f -> out.println("  " + f.path("kind").asString() + "  trigger "
                        + f.path("trigger_id").asString()
                        + (f.hasNonNull("duplicate_of")
                                ? " duplicates " + f.path("duplicate_of").asString()
                                : "")
                        + (f.hasNonNull("detail") ? ": " + f.path("detail").asString() : "")));
            }
            return 0;
        }
    }
}
