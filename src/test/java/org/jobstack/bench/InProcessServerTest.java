package org.jobstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The in-process harnesses (bench/queue.sh, bench/node.sh, bench/dashboard.sh) start their server. */
class InProcessServerTest {

    @TempDir
    Path root;

    @Test
    void should_start_a_server_on_a_data_folder_it_makes_private() throws Exception {
        Path data = root.resolve("data");
        try (ConfigurableApplicationContext context = InProcessServer.start(
                "--server.port=0",
                "--jobstack.admin.port=0",
                "--jobstack.data-dir=" + data,
                "--logging.level.root=WARN")) {
            assertThat(context.isRunning()).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
                    .isEqualTo("rwx------");
        }
    }
}
