package org.jobstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

@Command(name = "jobs", description = "Run, list and inspect jobs.", mixinStandardHelpOptions = true)
class JobsCommand {

    static final String SCOPE = "io.cozy.jobs";

    static class Base extends ServerCommand {

        void printLog(JsonNode line) {
            JsonNode a = line.path("attributes");
            spec.commandLine()
                    .getOut()
                    .printf(
                            "%s %-7s %s%n",
                            a.path("time").asString(),
                            a.path("level").asString(),
                            a.path("message").asString());
        }

        /** Prints the job's lines as they come until it ends; returns its final state. */
        String follow(ServerClient client, String id) {
            String[] state = {null};
            client.stream("GET", "/jobs/" + ServerClient.enc(id) + "/logs?follow=true", SCOPE, (event, data) -> {
                if (event.equals("log")) {
                    JsonNode line = ServerClient.parse(data);
                    printLog(line.has("data") ? line.path("data") : line);
                } else if (event.equals("end")) {
                    state[0] = ServerClient.parse(data).path("state").asString("deleted");
                }
            });
            if (state[0] == null) {
                throw new CliException(
                        JobstackCli.UNREACHABLE,
                        "the server ended the stream before the job ended "
                                + "(shutting down?); follow it again with: jobstack jobs logs --follow " + id);
            }
            return state[0];
        }
    }

    static class Common extends Base {
        @Option(names = "--json", description = "Print the server's JSON answer")
        boolean json;
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Queue a job, wait for its end, and exit with its outcome (0 done, 5 errored).")
    static class Run extends Base implements Callable<Integer> {
        @Parameters(index = "0", description = "Worker: service, konnector, log…")
        String worker;

        @Option(names = "--json", description = "The job's arguments (its message), as JSON", defaultValue = "{}")
        String arguments;

        @Option(names = "--logs", description = "Print the job's log lines while it runs")
        boolean logs;

        @Option(names = "--manual", description = "Queue it as a manual job (runs before automatic ones)")
        boolean manual;

        @Override
        public Integer call() {
            JsonNode args = parseArguments();
            ServerClient client = new ServerClient(server);
            String body = "{\"data\":{\"attributes\":{\"arguments\":" + args + ",\"manual\":" + manual + "}}}";
            String id = client.call("POST", "/jobs/queue/" + ServerClient.enc(worker), SCOPE, body)
                    .path("data")
                    .path("id")
                    .asString();
            var out = spec.commandLine().getOut();
            out.println("job " + id + " queued");
            if (logs) {
                follow(client, id);
            }
            JsonNode job = waitForEnd(client, id);
            String state = job.path("attributes").path("state").asString();
            out.println("job " + id + " " + state
                    + (job.path("attributes").has("error")
                            ? ": " + job.path("attributes").path("error").asString()
                            : ""));
            return state.equals("done") ? 0 : JobstackCli.JOB_ERRORED;
        }

        private JsonNode parseArguments() {
            try {
                return ServerClient.JSON.readTree(arguments);
            } catch (JacksonException e) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "--json is not valid JSON: " + e.getOriginalMessage());
            }
        }

        private static JsonNode waitForEnd(ServerClient client, String id) {
            while (true) {
                JsonNode job = client.call("GET", "/jobs/" + ServerClient.enc(id), SCOPE)
                        .path("data");
                String state = job.path("attributes").path("state").asString();
                if (state.equals("done") || state.equals("errored")) {
                    return job;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException(JobstackCli.UNREACHABLE, "interrupted while waiting for job " + id);
                }
            }
        }
    }

    @Command(
            name = "ls",
            mixinStandardHelpOptions = true,
            description = "List the queued and running jobs of a worker.")
    static class Ls extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Worker")
        String worker;

        @Mixin
        ListingOptions listing;

        @Override
        public Integer call() {
            new ServerClient(server).list("/jobs/queue/" + ServerClient.enc(worker), SCOPE, listing, job -> {
                JsonNode a = job.path("attributes");
                spec.commandLine()
                        .getOut()
                        .println(
                                json
                                        ? job.toString()
                                        : String.format(
                                                "%s  %-8s queued %s",
                                                job.path("id").asString(),
                                                a.path("state").asString(),
                                                a.path("queued_at").asString()));
            });
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a job: state, times, error.")
    static class Show extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Job id")
        String id;

        @Override
        public Integer call() {
            JsonNode doc = new ServerClient(server).call("GET", "/jobs/" + ServerClient.enc(id), SCOPE);
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(ServerClient.pretty(doc));
                return 0;
            }
            JsonNode a = doc.path("data").path("attributes");
            out.printf(
                    "job %s  worker %s  state %s%n",
                    id, a.path("worker").asString(), a.path("state").asString());
            out.printf(
                    "  queued %s  started %s  finished %s  attempts %d%n",
                    a.path("queued_at").asString(),
                    a.path("started_at").asString(),
                    a.path("finished_at").asString(),
                    a.path("attempts").asInt());
            if (a.has("error")) {
                out.printf("  error: %s%n", a.path("error").asString());
            }
            return 0;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a job's log lines.")
    static class Logs extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Job id")
        String id;

        @Option(
                names = {"-f", "--follow"},
                description = "Keep printing lines until the job ends")
        boolean followIt;

        @Override
        public Integer call() {
            ServerClient client = new ServerClient(server);
            if (followIt) {
                follow(client, id);
                return 0;
            }
            JsonNode doc = client.call("GET", "/jobs/" + ServerClient.enc(id) + "/logs", SCOPE);
            if (json) {
                spec.commandLine().getOut().println(ServerClient.pretty(doc));
            } else {
                doc.path("data").forEach(this::printLog);
            }
            return 0;
        }
    }

    @Command(
            name = "purge-old-jobs",
            mixinStandardHelpOptions = true,
            description = "Delete finished jobs older than a duration (keeps the 50 newest per worker and state).")
    static class PurgeOldJobs extends Common implements Callable<Integer> {
        @Option(names = "--duration", description = "Older than this: 2W, 3D, 1Y2M… (default 2W)", defaultValue = "2W")
        String duration;

        @Option(names = "--workers", description = "Only these workers, comma separated")
        String workers;

        @Override
        public Integer call() {
            String query = "?duration=" + ServerClient.enc(duration)
                    + (workers == null ? "" : "&workers=" + ServerClient.enc(workers));
            JsonNode answer = new ServerClient(server).call("DELETE", "/jobs/purge" + query, SCOPE);
            spec.commandLine()
                    .getOut()
                    .println(
                            json
                                    ? answer.toString()
                                    : "deleted " + answer.path("deleted").asInt() + " jobs");
            return 0;
        }
    }
}
