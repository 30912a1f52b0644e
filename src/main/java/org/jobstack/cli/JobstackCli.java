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

    /** A command under {@code jobstack} and the subcommands under it, in the order the help lists them. */
    private record Group(Class<?> command, List<Class<?>> subcommands) {
        Group(Class<?> command, Class<?>... subcommands) {
            this(command, List.of(subcommands));
        }
    }

    /** The commands under {@code jobstack}, in the order the help lists them. */
    private static final List<Group> COMMANDS = List.of(
            new Group(
                    AppsCommand.class,
                    AppsCommand.Install.class,
                    AppsCommand.Update.class,
                    AppsCommand.Uninstall.class,
                    AppsCommand.Ls.class,
                    AppsCommand.Show.class,
                    AppsDevCommand.class),
            new Group(
                    TriggersCommand.class,
                    TriggersCommand.Ls.class,
                    TriggersCommand.Show.class,
                    TriggersCommand.Launch.class,
                    TriggersCommand.ShowFromApp.class,
                    TriggersNextCommand.class),
            new Group(
                    JobsCommand.class,
                    JobsCommand.Run.class,
                    JobsCommand.Ls.class,
                    JobsCommand.Show.class,
                    JobsCommand.Logs.class,
                    JobsCommand.PurgeOldJobs.class),
            new Group(
                    InstancesCommand.class,
                    InstancesCommand.Add.class,
                    InstancesCommand.Ls.class,
                    InstancesCommand.Show.class,
                    InstancesCommand.Rm.class,
                    InstancesCommand.Token.class,
                    InstancesCommand.RotateSecret.class),
            new Group(NodesCommand.class, NodesCommand.Ls.class, NodesCommand.Drain.class, NodesCommand.Undrain.class),
            new Group(FixCommand.class, FixCommand.ServiceTriggers.class),
            new Group(CheckCommand.class, CheckCommand.Triggers.class),
            new Group(EventsCommand.class, EventsCommand.Explain.class, EventsCommand.ExplainWebhook.class),
            new Group(SecretsCommand.class, SecretsCommand.NewKey.class, SecretsCommand.Rotate.class),
            new Group(RunDevCommand.class),
            new Group(CompletionCommand.class),
            new Group(CommandLine.HelpCommand.class));

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
        CommandLine cli = commandLine(args);
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
        return commandLine(new String[0]);
    }

    /**
     * The commands, or only the branch that {@code args} names: picocli builds its model of each
     * command by reflection, and a client command's start is mostly that. A command named by the
     * first word comes alone, with only its subcommand named by the second word when there is
     * one; otherwise with all of them (its help lists them, and picocli suggests among them).
     */
    static CommandLine commandLine(String[] args) {
        String first = args.length > 0 ? args[0] : null;
        CommandLine root = new CommandLine(new JobstackCli());
        List<Group> named = first == null || NEED_ALL.contains(first)
                ? List.of()
                : COMMANDS.stream()
                        .filter(g -> nameOf(g.command()).equals(first))
                        .toList();
        boolean one = !named.isEmpty();
        for (Group group : one ? named : COMMANDS) {
            CommandLine command = new CommandLine(group.command());
            List<Class<?>> subcommands = group.subcommands();
            if (one && args.length > 1) {
                List<Class<?>> asked = subcommands.stream()
                        .filter(c -> nameOf(c).equals(args[1]))
                        .toList();
                subcommands = asked.isEmpty() ? subcommands : asked;
            }
            for (Class<?> subcommand : subcommands) {
                command.addSubcommand(nameOf(subcommand), subcommand);
            }
            root.addSubcommand(nameOf(group.command()), command);
        }
        return root;
    }

    private static String nameOf(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }
}
