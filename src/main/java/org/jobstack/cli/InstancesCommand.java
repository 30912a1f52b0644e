package org.jobstack.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "instances", description = "Manage instances through the admin API.", mixinStandardHelpOptions = true)
class InstancesCommand {

    static class Common extends ServerCommand.WithJson {
        void print(JsonNode resource) {
            JsonNode a = resource.path("attributes");
            printResource(
                    resource,
                    String.format(
                            "%-32s %-6s %s",
                            a.path("domain").asString(),
                            a.path("locale").asString(),
                            a.path("stack_url").asString()));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create an instance.")
    static class Add extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Domain, e.g. alice.example.net")
        String domain;

        @Option(names = "--locale", description = "Locale (default en)")
        String locale;

        @Option(names = "--stack-url", description = "URL its services call back (COZY_URL; default http://<domain>/)")
        String stackUrl;

        @Option(names = "--token-secret", description = "Base64 token secret (default: generated)")
        String tokenSecret;

        @Override
        public Integer call() {
            StringBuilder query = new StringBuilder("/instances?Domain=").append(ServerClient.enc(domain));
            append(query, "Locale", locale);
            append(query, "StackURL", stackUrl);
            append(query, "TokenSecret", tokenSecret);
            print(new ServerClient(server)
                    .adminJson("POST", query.toString(), null)
                    .path("data"));
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List instances.")
    static class Ls extends Common implements Callable<Integer> {
        @Mixin
        ListingOptions listing;

        @Override
        public Integer call() {
            new ServerClient(server).adminList("/instances", listing, this::print);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an instance (never its token secret).")
    static class Show extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Domain")
        String domain;

        @Override
        public Integer call() {
            JsonNode doc = new ServerClient(server).adminJson("GET", "/instances/" + ServerClient.enc(domain), null);
            spec.commandLine()
                    .getOut()
                    .println(ServerClient.pretty(json ? doc : doc.path("data").path("attributes")));
            return 0;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Delete an instance with its apps, triggers, jobs and logs.")
    static class Rm extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Domain")
        String domain;

        @Override
        public Integer call() {
            new ServerClient(server).admin("DELETE", "/instances/" + ServerClient.enc(domain), null);
            spec.commandLine().getOut().println("Deleted " + domain);
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Mint a token of an instance; prints it.")
    static class Token extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Domain")
        String domain;

        @Option(names = "--audience", defaultValue = "cli", description = "cli, app or konn (default cli)")
        String audience;

        @Option(names = "--subject", defaultValue = "CLI", description = "App slug, or CLI (default)")
        String subject;

        @Option(names = "--scope", description = "Permissions of a CLI token, e.g. 'io.cozy.jobs io.cozy.triggers'")
        String scope;

        @Option(names = "--expire", description = "Validity as a Go duration, e.g. 30m, 24h")
        String expire;

        @Override
        public Integer call() {
            StringBuilder query = new StringBuilder("/instances/token?Domain=").append(ServerClient.enc(domain));
            append(query, "Audience", audience);
            append(query, "Subject", subject);
            append(query, "Scope", scope);
            append(query, "Expire", expire);
            spec.commandLine()
                    .getOut()
                    .println(new ServerClient(server)
                            .admin("POST", query.toString(), null)
                            .body()
                            .strip());
            return 0;
        }
    }

    private static void append(StringBuilder query, String name, String value) {
        if (value != null) {
            query.append('&').append(name).append('=').append(ServerClient.enc(value));
        }
    }

    @Command(
            name = "rotate-secret",
            mixinStandardHelpOptions = true,
            description = "Give an instance a new random token secret and print it: every token signed with"
                    + " the old one is refused from now on.")
    static class RotateSecret extends Common implements Callable<Integer> {
        @Parameters(index = "0", description = "Domain")
        String domain;

        @Override
        public Integer call() {
            JsonNode resource = new ServerClient(server)
                    .adminJson("POST", "/instances/" + ServerClient.enc(domain) + "/token-secret", null)
                    .path("data");
            printResource(
                    resource, resource.path("attributes").path("token_secret").asString());
            return 0;
        }
    }
}
