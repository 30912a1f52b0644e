package org.jobstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code jobstack triggers next}: the next runs of a saved trigger, or of a spec not saved yet. */
@Command(
        name = "next",
        mixinStandardHelpOptions = true,
        description = "Print the next runs of a trigger (its id) or of a spec such as '@cron 0 0 9 * * 1-5'.")
class TriggersNextCommand extends ServerCommand.WithJson implements Callable<Integer> {

    @Parameters(index = "0", description = "A trigger id, or a spec: '@cron …', '@every 1h', '@daily after 8pm'…")
    String target;

    @Option(
            names = {"-n", "--count"},
            description = "How many runs (1 to 100, default ${DEFAULT-VALUE})",
            defaultValue = "5")
    int count;

    @Option(names = "--tz", description = "Time zone of a spec without TZ= (default: the server's)")
    String timeZone;

    @Option(
            names = "--worker",
            description = "Worker of a spec (picks the time of @hourly/@daily/… in its window)",
            defaultValue = "service")
    String worker;

    @Override
    public Integer call() {
        ServerClient client = new ServerClient(server);
        String count = "Count=" + this.count;
        JsonNode answer = target.strip().startsWith("@")
                ? client.call(
                        "POST",
                        "/jobs/triggers/next?" + count + (timeZone == null ? "" : "&TZ=" + ServerClient.enc(timeZone)),
                        TriggersCommand.SCOPE,
                        specBody())
                : client.call(
                        "GET",
                        "/jobs/triggers/" + ServerClient.enc(target.strip()) + "/next?" + count,
                        TriggersCommand.SCOPE);
        print(answer.path("data").path("attributes"), answer);
        return 0;
    }

    private String specBody() {
        String spec = target.strip();
        int space = spec.indexOf(' ');
        ObjectNode attributes = ServerClient.JSON
                .createObjectNode()
                .put("type", space < 0 ? spec : spec.substring(0, space))
                .put("arguments", space < 0 ? "" : spec.substring(space + 1).strip())
                .put("worker", worker);
        ObjectNode body = ServerClient.JSON.createObjectNode();
        body.putObject("data").put("type", "io.cozy.triggers").set("attributes", attributes);
        return body.toString();
    }

    private void print(JsonNode attributes, JsonNode answer) {
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(ServerClient.pretty(answer));
            return;
        }
        attributes.path("next_runs").forEach(run -> out.println(run.asString()));
        if (attributes.path("paused").asBoolean(false)) {
            out.println("(paused: no run is made until it is resumed)");
        }
        if (attributes.has("end")) {
            out.println("(" + attributes.path("end").asString() + ")");
        }
        out.println("time zone " + attributes.path("time_zone").asString());
    }
}
