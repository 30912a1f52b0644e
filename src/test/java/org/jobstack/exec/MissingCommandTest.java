package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.job.JobFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code node} binary that is missing or cannot be executed: the wrapper shell says so on
 * stderr, and the job's error names the setting to fix instead of a bare exit status.
 */
class MissingCommandTest {

    @TempDir
    Path dir;

    @Test
    void should_say_the_command_was_not_found_when_the_node_binary_is_missing() throws Exception {
        JobFailure failure = runThroughTheWrapper(dir.resolve("missing/node").toString());

        assertThat(failure.getMessage())
                .isEqualTo("cannot run the command (jobstack.exec.command): " + dir.resolve("missing/node")
                        + ": not found: exit status 127");
    }

    @Test
    void should_say_the_command_cannot_be_run_when_the_node_binary_is_not_executable() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("node"), "not a program");

        JobFailure failure = runThroughTheWrapper(notExecutable.toString());

        assertThat(failure.getMessage())
                .isEqualTo("cannot run the command (jobstack.exec.command): " + notExecutable
                        + ": Permission denied: exit status 126");
    }

    @Test
    void should_keep_a_services_own_not_found_line_out_of_the_cause() throws Exception {
        OutputCollector output = new OutputCollector((stream, level, message) -> {}, JsonMapper.shared(), 1000);
        output.stderr("Error: module x: not found");

        JobFailure failure = catchThrowableOfType(
                JobFailure.class,
                () -> Outcomes.service(new ProcessLauncher.Result(127, false, false, 0, 0, false), output));

        assertThat(failure.getMessage()).isEqualTo("exit status 127");
    }

    /** Runs {@code command} as Jobstack does (setsid, the watchdog shell) and turns the result into a failure. */
    private JobFailure runThroughTheWrapper(String command) throws Exception {
        List<String> argv = List.of(
                "setsid", "/bin/sh", "-c", ExecSettings.script(""), ExecSettings.SHELL_NAME, command, dir.toString());
        Process process = new ProcessBuilder(argv)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> stderr = new ArrayList<>();
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            err.lines().forEach(stderr::add);
        }
        int exit = process.waitFor();
        OutputCollector output = new OutputCollector((stream, level, message) -> {}, JsonMapper.shared(), 1000);
        stderr.forEach(output::stderr);
        return catchThrowableOfType(
                JobFailure.class,
                () -> Outcomes.service(new ProcessLauncher.Result(exit, false, false, 0, 0, false), output));
    }
}
