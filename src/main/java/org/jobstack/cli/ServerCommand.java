package org.jobstack.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** What every client command has: where the server is, and its own picocli model (for output). */
abstract class ServerCommand {

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    /** A command whose answer can also be printed as the server's JSON, for scripts. */
    abstract static class WithJson extends ServerCommand {
        @Option(names = "--json", description = "Print the server's JSON answer")
        boolean json;

        /** Prints a JSON:API resource as JSON with {@code --json}, else as {@code line}. */
        void printResource(JsonNode resource, String line) {
            spec.commandLine().getOut().println(json ? resource.toString() : line);
        }
    }
}
