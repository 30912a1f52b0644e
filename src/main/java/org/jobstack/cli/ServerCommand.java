package org.jobstack.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
    }
}
