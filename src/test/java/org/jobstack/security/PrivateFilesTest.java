package org.jobstack.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory other users may read is refused before anything is written in it. (That the
 * files a server writes are private under umask 000 is checked by {@code GracefulShutdownTest},
 * which starts servers anyway; that runs leave nothing behind, by {@code NodeExecutionTest} and the
 * crash tests.)
 */
class PrivateFilesTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void should_refuse_a_data_directory_others_can_read_in_a_few_clear_lines_and_write_nothing_in_it()
            throws Exception {
        Path data = Files.createDirectory(
                dir.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        Process process = new ProcessBuilder(
                        ServerProcess.command(data, ServerProcess.freePort(), ServerProcess.freePort()))
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(out)
                .contains("The data directory " + data + " can be read by other users (rwxr-x---)")
                .contains("Run: chmod 700 " + data)
                .doesNotContain("\tat ");
        try (Stream<Path> written = Files.list(data)) {
            assertThat(written).isEmpty();
        }
    }
}
