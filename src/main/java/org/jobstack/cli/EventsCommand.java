package org.jobstack.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(
        name = "events",
        description =
                "Ask why a service did or did not run: the instance's triggers against an event or a webhook call.",
        mixinStandardHelpOptions = true)
class EventsCommand {

    /** One line per trigger: fires or not, why, and what would keep its job from running. */
    static void print(JsonNode verdict, java.io.PrintWriter out) {
        out.println("  " + (verdict.path("would_fire").asBoolean() ? "fires  " : "no     ")
                + verdict.path("trigger_id").asString() + " "
                + verdict.path("type").asString() + " "
                + verdict.path("arguments").asString() + " ("
                + verdict.path("worker").asString() + ")");
        out.println("         " + verdict.path("reason").asString());
        if (verdict.hasNonNull("warning")) {
            out.println("         warning: " + verdict.path("warning").asString());
        }
    }

    @Command(
            name = "explain",
            mixinStandardHelpOptions = true,
            description = "Read an event (or an array of them) as the stack posts it, and say for every trigger"
                    + " watching its doctype whether it would fire, or why not. Changes nothing.")
    static class Explain extends ServerCommand.WithJson implements Callable<Integer> {
        @Parameters(index = "0", description = "A JSON file: {\"verb\",\"doctype\",\"doc\",\"old\"?} or an array")
        Path file;

        @Override
        public Integer call() {
            String body;
            try {
                body = Files.readString(file);
            } catch (IOException e) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
            }
            JsonNode answer = new ServerClient(server)
                    .adminJson("POST", "/instances/" + ServerClient.enc(server.domain()) + "/events/explain", body);
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(ServerClient.pretty(answer));
                return 0;
            }
            for (JsonNode event : answer.path("events")) {
                out.println(event.path("verb").asString() + " "
                        + event.path("doctype").asString() + " "
                        + event.path("id").asString() + ": "
                        + event.path("triggers").size() + " trigger(s) watching");
                event.path("triggers").forEach(t -> print(t, out));
            }
            return 0;
        }
    }

    @Command(
            name = "explain-webhook",
            mixinStandardHelpOptions = true,
            description = "Say whether a call of a @webhook trigger would fire it now, or why not. Changes nothing.")
    static class ExplainWebhook extends ServerCommand.WithJson implements Callable<Integer> {
        @Parameters(index = "0", description = "Trigger id")
        String id;

        @Override
        public Integer call() {
            JsonNode verdict = new ServerClient(server)
                    .adminJson(
                            "POST",
                            "/instances/" + ServerClient.enc(server.domain()) + "/webhooks/" + ServerClient.enc(id)
                                    + "/explain",
                            null);
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(ServerClient.pretty(verdict));
            } else {
                print(verdict, out);
            }
            return 0;
        }
    }
}
