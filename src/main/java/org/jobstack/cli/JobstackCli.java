package org.jobstack.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jobstack} client commands. They talk HTTP to a running server; Spring is never loaded. */
@Command(
        name = "jobstack",
        mixinStandardHelpOptions = true,
        version = "jobstack 0.1.0",
        description = "Runs the background services of installed apps. Without a command, or with 'serve', "
                + "starts the server. Exit codes: 0 success, 1 refused by the server, 2 usage error, "
                + "3 server unreachable, 4 not authorised, 5 the job ended errored, 6 not found.")
public class JobstackCli {

    /** The commands under {@code jobstack}, in the order the help lists them. */
    private static final List<Class<?>> COMMANDS = List.of(
            AppsCommand.class,
            TriggersCommand.class,
            JobsCommand.class,
            InstancesCommand.class,
            NodesCommand.class,
            FixCommand.class,
            CheckCommand.class,
            EventsCommand.class,
            SecretsCommand.class,
            RunDevCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class);

    /** Commands that need every other one: the help and the completion script list them all. */
    private static final Set<String> NEED_ALL = Set.of("help", "completion");

    public static final int REFUSED = 1;
    public static final int UNREACHABLE = 3;
    public static final int UNAUTHORISED = 4;
    public static final int JOB_ERRORED = 5;
    public static final int NOT_FOUND = 6;

    static {
        // Lets the client name the instance in the Host header, as the stack's CLI does.
        System.setProperty("sun.net.http.allowRestrictedHeaders", "true");
    }

    public static int run(String[] args) {
        warmUpJson();
        return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /**
     * Builds Jackson's mapper and its JSON tree (de)serialisers on a second core while picocli
     * parses the command line and the first request connects: a fifth of a short command's time.
     */
    private static void warmUpJson() {
        Thread warmUp = new Thread(
                () -> ServerClient.pretty(
                        ServerClient.parse("{\"data\":{\"id\":\"x\",\"attributes\":{\"n\":[1,2.5,\"s\",true,null]}}}")),
                "json-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(args.length == 0 ? null : args[0]);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException failure) {
                err.println("error: " + failure.getMessage());
                return failure.exitCode();
            }
            err.println("error: " + e);
            return REFUSED;
        });
        return cli.execute(args);
    }

    /** Every command. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The commands, or only the one named {@code first} when there is one: picocli builds its model
     * of each command by reflection, and a client command's start is mostly that (the whole tree
     * costs about twice one command's subtree).
     */
    static CommandLine commandLine(String first) {
        CommandLine root = new CommandLine(new JobstackCli());
        List<Class<?>> named = first == null || NEED_ALL.contains(first)
                ? List.of()
                : COMMANDS.stream().filter(c -> nameOf(c).equals(first)).toList();
        for (Class<?> command : named.isEmpty() ? COMMANDS : named) {
            root.addSubcommand(nameOf(command), command);
        }
        return root;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }
}
