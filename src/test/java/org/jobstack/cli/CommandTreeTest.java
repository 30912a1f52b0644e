package org.jobstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Client commands build only the branch of picocli's tree they name; help and mistakes see it whole. */
class CommandTreeTest {

    @Test
    void should_build_only_the_command_and_subcommand_named() {
        CommandLine root = JobstackCli.commandLine(new String[] {"triggers", "ls", "--limit", "5"});

        assertThat(root.getSubcommands()).containsOnlyKeys("triggers");
        assertThat(root.getSubcommands().get("triggers").getSubcommands()).containsOnlyKeys("ls");
    }

    @Test
    void should_build_every_subcommand_of_a_command_when_none_is_named() {
        CommandLine whole = JobstackCli.commandLine();
        var every = whole.getSubcommands().get("triggers").getSubcommands().keySet();

        for (String[] args : new String[][] {{"triggers"}, {"triggers", "--help"}, {"triggers", "lss"}}) {
            CommandLine root = JobstackCli.commandLine(args);
            assertThat(root.getSubcommands()).containsOnlyKeys("triggers");
            assertThat(root.getSubcommands().get("triggers").getSubcommands().keySet())
                    .as(String.join(" ", args))
                    .containsExactlyElementsOf(every);
        }
        assertThat(every).contains("ls", "show", "launch", "show-from-app", "next");
        assertThat(whole.getSubcommands()).containsKeys("apps", "jobs", "instances", "run-dev", "completion", "help");
    }

    @Test
    void should_print_a_commands_help_as_the_whole_tree_does_and_suggest_a_subcommand_on_a_mistake() {
        StringWriter help = new StringWriter();
        JobstackCli.run(
                new String[] {"jobs", "--help"}, new PrintWriter(help, true), new PrintWriter(new StringWriter()));
        assertThat(help.toString())
                .isEqualTo(
                        JobstackCli.commandLine().getSubcommands().get("jobs").getUsageMessage());

        StringWriter err = new StringWriter();
        int code = JobstackCli.run(
                new String[] {"jobs", "lss"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("lss").contains("ls");
    }
}
